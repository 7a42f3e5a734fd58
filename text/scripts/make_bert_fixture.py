#!/usr/bin/python3
"""Builds the tiny random BERT fixture under text/src/test/resources/bert/ for BertParityTest.

The encoder is torch.nn.TransformerEncoderLayer (post-norm, erf GELU): an implementation
independent of ours and of Hugging Face's, whose weights are written out under Hugging Face's
BertModel key names. Run with the Debian interpreter (torch 1.13, numpy):

    /usr/bin/python3 text/scripts/make_bert_fixture.py

Writes two folders holding the same weights, one per weight format, and the expected
hidden_states[-3] (the output of layer L-2; the embeddings are state 0) per token sequence:
  tiny-safetensors/  config.json, vocab.txt, model.safetensors (keys with the "bert." prefix,
                     LayerNorm.weight/bias, plus an MLM head "cls.*" a loader must ignore)
  tiny-bin/          config.json, tokenizer.json (vocabulary only there), pytorch_model.bin
                     (keys without the prefix, old-style LayerNorm.gamma/beta, a pooler)
  expected/          ids_N.npy (int64 [tokens]) and hidden_N.npy (float32 [tokens, hidden])
"""
import json
import os
import struct

import numpy as np
import torch

HIDDEN, LAYERS, HEADS, INTERMEDIATE, MAX_POS, TYPES = 32, 4, 4, 64, 40, 2
# Far above BERT's 1e-12 on purpose: a loader that ignored config.json's eps would move the
# hidden states by ~1e-3 relative, well above the test's 1e-5.
EPS = 1e-3

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]",
         ",", ".", "!", "?", "'", "-", "…",
         "你", "好", "世", "界", "我", "们", "的", "是",
         "hello", "world", "wor", "##ld", "##s", "play", "##ing", "un", "##aff", "##able",
         "cafe", "a", "b", "こん", "##にちは", "##a"]

# Token sequences (as vocabulary strings) whose hidden states the test compares; the first is
# what the tokenizer must make of "你好,world!" and the last is as long as positions allow.
SEQUENCES = [
    ["[CLS]", "你", "好", ",", "world", "!", "[SEP]"],
    ["[CLS]", "un", "##aff", "##able", "play", "##ing", ".", "[SEP]"],
    ["[CLS]", "[SEP]"],
    ["[CLS]"] + [VOCAB[5 + (7 * i) % (len(VOCAB) - 5)] for i in range(MAX_POS - 2)] + ["[SEP]"],
]


def main():
    torch.manual_seed(1234)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "bert")
    torch.set_default_dtype(torch.float32)
    word = torch.nn.Embedding(len(VOCAB), HIDDEN)
    pos = torch.nn.Embedding(MAX_POS, HIDDEN)
    types = torch.nn.Embedding(TYPES, HIDDEN)
    emb_norm = torch.nn.LayerNorm(HIDDEN, eps=EPS)
    layers = [torch.nn.TransformerEncoderLayer(HIDDEN, HEADS, INTERMEDIATE, dropout=0.0, activation="gelu",
                                               layer_norm_eps=EPS, batch_first=True, norm_first=False)
              for _ in range(LAYERS)]
    # LayerNorms and biases away from their 1/0 initialisation, so a swapped weight/bias shows.
    with torch.no_grad():
        for norm in [emb_norm] + [n for l in layers for n in (l.norm1, l.norm2)]:
            norm.weight.copy_(1 + 0.2 * torch.randn(HIDDEN))
            norm.bias.copy_(0.2 * torch.randn(HIDDEN))
        for l in layers:
            for lin in (l.self_attn.out_proj, l.linear1, l.linear2):
                lin.bias.copy_(0.1 * torch.randn(lin.bias.shape))
            l.self_attn.in_proj_bias.copy_(0.1 * torch.randn(3 * HIDDEN))
            l.self_attn.in_proj_weight.mul_(2.0)  # livelier attention than the default init gives
    for m in [word, pos, types, emb_norm] + layers:
        m.eval()

    def hidden_states_minus_3(ids):
        """ids [B, T] (padding id 0), lengths [B] -> hidden_states[-3] [B, T, H]."""
        t = ids.shape[1]
        x = word(ids) + pos(torch.arange(t)).unsqueeze(0) + types(torch.zeros_like(ids))
        states = [emb_norm(x)]
        pad = ids == 0
        for l in layers:
            states.append(l(states[-1], src_key_padding_mask=pad if pad.any() else None))
        return states[-3]

    tensors = {}
    def put(key, value):
        tensors[key] = value.detach().clone().contiguous()
    put("embeddings.word_embeddings.weight", word.weight)
    put("embeddings.position_embeddings.weight", pos.weight)
    put("embeddings.token_type_embeddings.weight", types.weight)
    put("embeddings.LayerNorm.weight", emb_norm.weight)
    put("embeddings.LayerNorm.bias", emb_norm.bias)
    for i, l in enumerate(layers):
        p = "encoder.layer.%d." % i
        w, b = l.self_attn.in_proj_weight, l.self_attn.in_proj_bias
        for j, name in enumerate(("query", "key", "value")):
            put(p + "attention.self." + name + ".weight", w[j * HIDDEN:(j + 1) * HIDDEN])
            put(p + "attention.self." + name + ".bias", b[j * HIDDEN:(j + 1) * HIDDEN])
        put(p + "attention.output.dense.weight", l.self_attn.out_proj.weight)
        put(p + "attention.output.dense.bias", l.self_attn.out_proj.bias)
        put(p + "attention.output.LayerNorm.weight", l.norm1.weight)
        put(p + "attention.output.LayerNorm.bias", l.norm1.bias)
        put(p + "intermediate.dense.weight", l.linear1.weight)
        put(p + "intermediate.dense.bias", l.linear1.bias)
        put(p + "output.dense.weight", l.linear2.weight)
        put(p + "output.dense.bias", l.linear2.bias)
        put(p + "output.LayerNorm.weight", l.norm2.weight)
        put(p + "output.LayerNorm.bias", l.norm2.bias)

    config = {"architectures": ["BertForMaskedLM"], "model_type": "bert", "hidden_act": "gelu",
              "hidden_size": HIDDEN, "num_hidden_layers": LAYERS, "num_attention_heads": HEADS,
              "intermediate_size": INTERMEDIATE, "max_position_embeddings": MAX_POS, "type_vocab_size": TYPES,
              "vocab_size": len(VOCAB), "layer_norm_eps": EPS, "hidden_dropout_prob": 0.1,
              "attention_probs_dropout_prob": 0.1, "pad_token_id": 0, "position_embedding_type": "absolute"}

    st_dir = os.path.join(root, "tiny-safetensors")
    os.makedirs(st_dir, exist_ok=True)
    write_json(os.path.join(st_dir, "config.json"), config)
    with open(os.path.join(st_dir, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("".join(t + "\n" for t in VOCAB))
    with_head = {"bert." + k: v for k, v in tensors.items()}
    with_head["cls.predictions.bias"] = torch.randn(len(VOCAB))
    with_head["cls.predictions.transform.dense.weight"] = torch.randn(HIDDEN, HIDDEN)
    write_safetensors(os.path.join(st_dir, "model.safetensors"), with_head)

    bin_dir = os.path.join(root, "tiny-bin")
    os.makedirs(bin_dir, exist_ok=True)
    write_json(os.path.join(bin_dir, "config.json"), config)
    write_json(os.path.join(bin_dir, "tokenizer.json"),
               {"version": "1.0", "model": {"type": "WordPiece", "unk_token": "[UNK]",
                                            "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                                            "vocab": {t: i for i, t in enumerate(VOCAB)}}})
    old_style = {}
    for k, v in tensors.items():
        k = k.replace("LayerNorm.weight", "LayerNorm.gamma").replace("LayerNorm.bias", "LayerNorm.beta")
        old_style[k] = v
    old_style["pooler.dense.weight"] = torch.randn(HIDDEN, HIDDEN)
    old_style["pooler.dense.bias"] = torch.randn(HIDDEN)
    old_style["embeddings.position_ids"] = torch.arange(MAX_POS).unsqueeze(0)
    torch.save(old_style, os.path.join(bin_dir, "pytorch_model.bin"))

    exp_dir = os.path.join(root, "expected")
    os.makedirs(exp_dir, exist_ok=True)
    index = {t: i for i, t in enumerate(VOCAB)}
    batch = []
    with torch.no_grad():
        for n, seq in enumerate(SEQUENCES):
            ids = torch.tensor([[index[t] for t in seq]])
            h = hidden_states_minus_3(ids)[0]
            np.save(os.path.join(exp_dir, "ids_%d.npy" % n), ids[0].numpy().astype(np.int64))
            np.save(os.path.join(exp_dir, "hidden_%d.npy" % n), h.numpy().astype(np.float32))
            batch.append((ids[0], h))
        # The padded batch must agree with the one-by-one runs on every real token (torch's mask).
        t = max(len(i) for i, _ in batch)
        padded = torch.zeros(len(batch), t, dtype=torch.long)
        for r, (i, _) in enumerate(batch):
            padded[r, :len(i)] = i
        hb = hidden_states_minus_3(padded)
        for r, (i, h) in enumerate(batch):
            err = (hb[r, :len(i)] - h).norm() / h.norm()
            assert err < 1e-5, "torch's padded batch differs from one-by-one: %g" % err
    print("wrote", root)


def write_json(path, obj):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def write_safetensors(path, tensors):
    """The safetensors layout (8-byte little-endian header length, JSON header, raw data)."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        data = tensors[name].numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


if __name__ == "__main__":
    main()
