#!/usr/bin/env python3
"""PyTorch peer for `ranker4j bench train-step`: the identical cross-encoder LCE training step.

BertForSequenceClassification (num_labels=1) written out in plain PyTorch so that only Debian's python3-torch and
numpy are needed (no `transformers`, no `safetensors` package): the encoder weights come from an HF directory's
model.safetensors, the pooler and classifier are initialised from a seed (all-MiniLM-L6-v2 ships neither).

One step = forward of queries x group passages at a fixed sequence length, LCE loss (softmax cross-entropy over each
group, positive first), backward, AdamW. With --dropout 1 (the default) the model has BERT's dropouts, as
BertForSequenceClassification in training mode: hidden_dropout_prob after the embeddings, the attention output and
the FFN and before the classifier (classifier_dropout when the config sets it), attention_probs_dropout_prob on the
attention probabilities; --dropout 0 leaves them out. Prints one JSON line: {"pytorch_s_per_step": ..., ...}.
Run with /usr/bin/python3 (Debian's interpreter, where python3-torch lives).
"""
import argparse
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

SAFETENSORS_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    header_len = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + header_len])
    base = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        array = np.frombuffer(data[base + begin:base + end], dtype=SAFETENSORS_DTYPES[info["dtype"]])
        tensors[name] = torch.from_numpy(array.reshape(info["shape"]).astype(np.float32).copy())
    return tensors


def dropout_or_identity(p):
    """nn.Dropout(p), or no module at all for p = 0 (so --dropout 0 runs exactly the step without dropout)."""
    return nn.Dropout(p) if p > 0 else nn.Identity()


class Layer(nn.Module):
    def __init__(self, hidden, heads, intermediate, eps, hidden_dropout, attention_dropout):
        super().__init__()
        self.heads = heads
        self.hidden_dropout = dropout_or_identity(hidden_dropout)
        self.attention_dropout = dropout_or_identity(attention_dropout)
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attention_output = nn.Linear(hidden, hidden)
        self.attention_norm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Linear(hidden, intermediate)
        self.output = nn.Linear(intermediate, hidden)
        self.output_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x, additive_mask):
        b, s, h = x.shape
        d = h // self.heads

        def split(t):
            return t.view(b, s, self.heads, d).transpose(1, 2)

        q, k, v = split(self.query(x)), split(self.key(x)), split(self.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d) + additive_mask
        context = (self.attention_dropout(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, s, h)
        x = self.attention_norm(x + self.hidden_dropout(self.attention_output(context)))
        return self.output_norm(x + self.hidden_dropout(self.output(F.gelu(self.intermediate(x)))))


class CrossEncoder(nn.Module):
    def __init__(self, config, dropout):
        super().__init__()
        h = config["hidden_size"]
        eps = config.get("layer_norm_eps", 1e-12)
        hidden_dropout = config.get("hidden_dropout_prob", 0.1) if dropout else 0.0
        attention_dropout = config.get("attention_probs_dropout_prob", 0.1) if dropout else 0.0
        classifier_dropout = config.get("classifier_dropout")
        classifier_dropout = (hidden_dropout if classifier_dropout is None else classifier_dropout) if dropout else 0.0
        self.embedding_dropout = dropout_or_identity(hidden_dropout)
        self.classifier_dropout = dropout_or_identity(classifier_dropout)
        self.word = nn.Embedding(config["vocab_size"], h)
        self.position = nn.Embedding(config["max_position_embeddings"], h)
        self.token_type = nn.Embedding(config.get("type_vocab_size", 2), h)
        self.embedding_norm = nn.LayerNorm(h, eps=eps)
        self.layers = nn.ModuleList(Layer(h, config["num_attention_heads"], config["intermediate_size"], eps,
                                          hidden_dropout, attention_dropout)
                                    for _ in range(config["num_hidden_layers"]))
        self.pooler = nn.Linear(h, h)
        self.classifier = nn.Linear(h, 1)

    def load_encoder(self, w):
        def copy(param, name):
            param.data.copy_(w[name])

        copy(self.word.weight, "embeddings.word_embeddings.weight")
        copy(self.position.weight, "embeddings.position_embeddings.weight")
        copy(self.token_type.weight, "embeddings.token_type_embeddings.weight")
        copy(self.embedding_norm.weight, "embeddings.LayerNorm.weight")
        copy(self.embedding_norm.bias, "embeddings.LayerNorm.bias")
        for i, layer in enumerate(self.layers):
            p = f"encoder.layer.{i}."
            for module, name in [(layer.query, "attention.self.query"), (layer.key, "attention.self.key"),
                                 (layer.value, "attention.self.value"),
                                 (layer.attention_output, "attention.output.dense"),
                                 (layer.attention_norm, "attention.output.LayerNorm"),
                                 (layer.intermediate, "intermediate.dense"), (layer.output, "output.dense"),
                                 (layer.output_norm, "output.LayerNorm")]:
                copy(module.weight, p + name + ".weight")
                copy(module.bias, p + name + ".bias")

    def forward(self, ids, types, mask):
        positions = torch.arange(ids.shape[1]).unsqueeze(0)
        x = self.embedding_dropout(self.embedding_norm(self.word(ids) + self.position(positions) + self.token_type(types)))
        additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
        for layer in self.layers:
            x = layer(x, additive)
        return self.classifier(self.classifier_dropout(torch.tanh(self.pooler(x[:, 0])))).squeeze(-1)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--model", required=True)
    parser.add_argument("--queries", type=int, default=4)
    parser.add_argument("--group", type=int, default=8)
    parser.add_argument("--seq", type=int, default=128)
    parser.add_argument("--steps", type=int, default=3)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--dropout", type=int, default=1, help="1: the config's dropouts in training mode; 0: none")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    with open(f"{args.model}/config.json") as f:
        config = json.load(f)
    model = CrossEncoder(config, args.dropout == 1)
    model.load_encoder(read_safetensors(f"{args.model}/model.safetensors"))
    model.train()
    no_decay = [p for n, p in model.named_parameters() if n.endswith("bias") or "norm" in n]
    decay = [p for n, p in model.named_parameters() if not (n.endswith("bias") or "norm" in n)]
    optimizer = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                                   {"params": no_decay, "weight_decay": 0.0}], lr=2e-5)

    rows = args.queries * args.group
    generator = torch.Generator().manual_seed(args.seed)
    ids = torch.randint(1000, config["vocab_size"], (rows, args.seq), generator=generator)
    ids[:, 0] = 101
    types = torch.zeros(rows, args.seq, dtype=torch.long)
    types[:, args.seq // 4:] = 1  # query in the first quarter, passage after
    mask = torch.ones(rows, args.seq, dtype=torch.long)
    target = torch.zeros(args.queries, dtype=torch.long)  # the positive is first in each group

    def step():
        optimizer.zero_grad()
        scores = model(ids, types, mask).view(args.queries, args.group)
        loss = F.cross_entropy(scores, target)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(args.warmup):
        step()
    start, cpu_start = time.perf_counter(), time.process_time()
    for _ in range(args.steps):
        loss = step()
    seconds = (time.perf_counter() - start) / args.steps
    cpu_seconds = (time.process_time() - cpu_start) / args.steps  # all threads of the process
    print(json.dumps({"pytorch_s_per_step": seconds, "pytorch_cpu_s_per_step": cpu_seconds, "steps": args.steps,
                      "threads": args.threads,
                      "torch": torch.__version__, "dropout": args.dropout == 1, "last_loss": loss}))


if __name__ == "__main__":
    main()
