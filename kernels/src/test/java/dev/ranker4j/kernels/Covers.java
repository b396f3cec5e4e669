package dev.ranker4j.kernels;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the {@link Backend} methods a property checks, as {@code name(element type)}, e.g. {@code
 * "softmaxRows(float)"}: Backend's overloads differ exactly in their element type (float[] or double[]).
 * {@link BackendCoverageTest} fails when a Backend method is covered by no annotated property.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Covers {
    String[] value();
}
