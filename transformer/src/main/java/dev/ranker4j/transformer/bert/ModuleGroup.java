package dev.ranker4j.transformer.bert;

import dev.ranker4j.autograd.nn.Module;

/**
 * A module that only groups named submodules, so that parameter names nest exactly as Hugging Face's do
 * ({@code attention.self.query.weight}, {@code attention.output.LayerNorm.bias}) without a class per level.
 */
final class ModuleGroup extends Module {
    <M extends Module> M add(String name, M module) {
        return registerModule(name, module);
    }
}
