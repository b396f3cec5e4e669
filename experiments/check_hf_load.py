#!/usr/bin/env python3
"""Loads a model directory that ranker4j trained with Python's transformers and sentence-transformers, unchanged, and
compares their scores with the ones ranker4j wrote into a TREC run.

    check_hf_load.py --model runs/exp/E1/b-lce-g8-s1/best-checkpoint --run runs/exp/E1/b-lce-g8-s1/test-dense.trec \
        --data ../shared/data/scifact --queries 3 --depth 10 --max-length 128

    check_hf_load.py --kind dense --model runs/exp/E3/c-tas-balanced-s1/best-checkpoint \
        --run runs/exp/E3/c-tas-balanced-s1/test.trec --data ../shared/data/scifact --similarity dot --max-length 256

Cross-encoder scores are the raw logits (ranker4j rerank writes the logit), the pair is (query, title + " " + text)
truncated longest-first to --max-length tokens, as ranker4j's CrossEncoderScorer does. A dense retriever (--kind
dense, a sentence-transformers directory) is loaded with SentenceTransformer; queries and passages (title + " " +
text, --max-length tokens, as ranker4j encode) are encoded and scored by --similarity, which must give the scores
ranker4j search wrote. Prints one JSON line.
Needs torch, transformers and sentence-transformers (not a ranker4j dependency: a check, run by hand).
"""
import argparse
import json
import os
from collections import defaultdict


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--run", required=True)
    parser.add_argument("--data", required=True, help="BEIR directory with corpus.jsonl and queries.jsonl")
    parser.add_argument("--queries", type=int, default=3, help="first N queries of the run")
    parser.add_argument("--depth", type=int, default=10)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--kind", choices=["cross-encoder", "dense"], default="cross-encoder")
    parser.add_argument("--similarity", choices=["dot", "cosine"], default="cosine", help="dense: as ranker4j search")
    args = parser.parse_args()

    import torch
    import transformers
    import sentence_transformers
    from transformers import AutoModelForSequenceClassification, AutoTokenizer
    from sentence_transformers import CrossEncoder

    corpus = {d["_id"]: (d.get("title", "") + " " + d.get("text", "")) for d in read_jsonl(os.path.join(args.data, "corpus.jsonl"))}
    queries = {q["_id"]: q["text"] for q in read_jsonl(os.path.join(args.data, "queries.jsonl"))}
    run = defaultdict(list)
    order = []
    with open(args.run, encoding="utf-8") as f:
        for line in f:
            qid, _, docid, rank, score, _ = line.split()
            if qid not in run:
                order.append(qid)
            run[qid].append((int(rank), docid, float(score)))
    pairs, ours = [], []
    for qid in order[: args.queries]:
        for _, docid, score in sorted(run[qid])[: args.depth]:
            pairs.append((queries[qid], corpus[docid]))
            ours.append(score)

    if args.kind == "dense":
        check_dense(args, [q for q, _ in pairs], [d for _, d in pairs], ours)
        return

    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForSequenceClassification.from_pretrained(args.model).eval()
    with torch.no_grad():
        batch = tokenizer([p[0] for p in pairs], [p[1] for p in pairs], truncation="longest_first",
                          max_length=args.max_length, padding=True, return_tensors="pt")
        hf = model(**batch).logits[:, 0].tolist()
    st = CrossEncoder(args.model, max_length=args.max_length, activation_fn=torch.nn.Identity()).predict(pairs).tolist()

    print(json.dumps({
        "model": args.model, "pairs": len(pairs), "architecture": model.config.architectures,
        "num_labels": model.config.num_labels, "transformers": transformers.__version__,
        "sentence_transformers": sentence_transformers.__version__, "torch": torch.__version__,
        "max_abs_diff_transformers": max(abs(a - b) for a, b in zip(hf, ours)),
        "max_abs_diff_sentence_transformers": max(abs(a - b) for a, b in zip(st, ours)),
        "same_order_transformers": sorted(range(len(hf)), key=lambda i: -hf[i]) == sorted(range(len(ours)), key=lambda i: -ours[i]),
    }))


def check_dense(args, query_texts, passage_texts, ours):
    import torch
    import transformers
    import sentence_transformers
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(args.model, device="cpu")
    model.max_seq_length = args.max_length
    q = model.encode(query_texts, convert_to_tensor=True, normalize_embeddings=args.similarity == "cosine")
    p = model.encode(passage_texts, convert_to_tensor=True, normalize_embeddings=args.similarity == "cosine")
    st = (q * p).sum(dim=1).tolist()
    print(json.dumps({
        "model": args.model, "pairs": len(st), "modules": [type(m).__name__ for m in model],
        "similarity": args.similarity, "transformers": transformers.__version__,
        "sentence_transformers": sentence_transformers.__version__, "torch": torch.__version__,
        "max_abs_diff_sentence_transformers": max(abs(a - b) for a, b in zip(st, ours)),
        "max_abs_score": max(abs(b) for b in ours),
        "same_order_sentence_transformers": sorted(range(len(st)), key=lambda i: -st[i]) == sorted(range(len(ours)), key=lambda i: -ours[i]),
    }))


if __name__ == "__main__":
    main()
