#!/usr/bin/env python3
"""PyTorch eager reference for `alvlm bench coop`: seconds per CoOp step (forward through the text
tower, backward to the context, torch.optim.SGD with momentum and weight decay) on the same
checkpoint, class count, batch, context length and prompt length as the Java benchmark.

The text tower is Hugging Face's CLIPTextTransformer written out in plain torch (pre-LN blocks,
causal mask, quick_gelu, final layer norm, pooling at the end-of-text token, projection), with
the weights read from the checkpoint's model.safetensors, so both sides run the same network.
Needs Debian's python3-torch only (with an optimised BLAS: `apt-get install libopenblas0-pthread`;
with Debian's reference BLAS alone, torch reports BLAS_INFO=generic and runs many times slower):

  /usr/bin/python3 bench/coop_reference.py MODEL_DIR --classes 100 --batch 32 --cut-length 12 --steps 3

`--tower hf` runs Hugging Face transformers' own CLIP text tower instead (CLIPModel loaded from
MODEL_DIR, offline; `--attn sdpa`, its default, or `eager`), fed the prompts as `inputs_embeds`
exactly as CoOp does. Needs transformers and a torch beside it, e.g. a venv from the local wheels:

  python3 -m venv /tmp/hfenv && /tmp/hfenv/bin/pip install torch transformers safetensors
  /tmp/hfenv/bin/python bench/coop_reference.py MODEL_DIR --tower hf --cut-length 12
"""
import argparse
import json
import math
import os
import struct
import time
from pathlib import Path

import numpy as np
import torch


def read_safetensors(path):
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(n))
        data = f.read()
    out = {}
    for name, h in header.items():
        if name == "__metadata__":
            continue
        assert h["dtype"] == "F32", f"{name}: only F32 checkpoints, got {h['dtype']}"
        a, b = h["data_offsets"]
        out[name] = torch.from_numpy(np.frombuffer(data[a:b], dtype="<f4").reshape(h["shape"]).copy())
    return out


class TextTower:
    def __init__(self, w, cfg):
        self.w, self.layers, self.heads = w, cfg["num_hidden_layers"], cfg["num_attention_heads"]

    def lin(self, x, name):
        return torch.nn.functional.linear(x, self.w[name + ".weight"], self.w[name + ".bias"])

    def ln(self, x, name):
        return torch.nn.functional.layer_norm(x, x.shape[-1:], self.w[name + ".weight"], self.w[name + ".bias"], 1e-5)

    def forward(self, embeds, eot):
        b, length, d = embeds.shape
        x = embeds + self.w["text_model.embeddings.position_embedding.weight"][:length]
        mask = torch.full((length, length), -1e9).triu(1)
        hd = d // self.heads
        for i in range(self.layers):
            p = f"text_model.encoder.layers.{i}."
            h = self.ln(x, p + "layer_norm1")
            q, k, v = (self.lin(h, p + f"self_attn.{n}_proj").view(b, length, self.heads, hd).transpose(1, 2)
                       for n in ("q", "k", "v"))
            att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(hd) + mask, dim=-1)
            x = x + self.lin((att @ v).transpose(1, 2).reshape(b, length, d), p + "self_attn.out_proj")
            h = self.lin(self.ln(x, p + "layer_norm2"), p + "mlp.fc1")
            x = x + self.lin(h * torch.sigmoid(1.702 * h), p + "mlp.fc2")
        x = self.ln(x, "text_model.final_layer_norm")
        pooled = x[torch.arange(b), eot]
        return pooled @ self.w["text_projection.weight"].T


class HfTower:
    """transformers' CLIP text tower, run from embeddings: embeddings(inputs_embeds) adds positions,
    then the encoder under its causal mask, the final norm, end-of-text pooling and the projection."""

    def __init__(self, model_dir, attn):
        from transformers import CLIPModel
        from transformers.masking_utils import create_causal_mask
        self.model = CLIPModel.from_pretrained(model_dir, local_files_only=True, attn_implementation=attn)
        self.model.requires_grad_(False)
        self.model.eval()
        self.mask = create_causal_mask

    def forward(self, embeds, eot):
        tm = self.model.text_model
        hidden = tm.embeddings(inputs_embeds=embeds)
        mask = self.mask(config=tm.config, inputs_embeds=hidden, attention_mask=None, past_key_values=None)
        x = tm.encoder(inputs_embeds=hidden, attention_mask=mask, is_causal=True).last_hidden_state
        x = tm.final_layer_norm(x)
        return self.model.text_projection(x[torch.arange(x.shape[0]), eot])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model", type=Path)
    ap.add_argument("--classes", type=int, default=100)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--n-ctx", type=int, default=4)
    ap.add_argument("--cut-length", type=int, required=True, help="prompt length after the end-of-text cut")
    ap.add_argument("--steps", type=int, default=3)
    ap.add_argument("--only", choices=("cut", "full"), help="time one prompt length only (bench coop --reference)")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="intra-op threads (DJL's default: all cores)")
    ap.add_argument("--tower", choices=("plain", "hf"), default="plain",
                    help="plain torch written out here (default), or transformers' CLIPModel")
    ap.add_argument("--attn", choices=("sdpa", "eager"), default="sdpa", help="attention of --tower hf")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    cfg = json.loads((a.model / "config.json").read_text())
    w = read_safetensors(a.model / "model.safetensors")
    tower = TextTower(w, cfg["text_config"]) if a.tower == "plain" else HfTower(a.model, a.attn)
    emb = w["text_model.embeddings.token_embedding.weight"]
    scale = w["logit_scale"].exp()
    feats = torch.nn.functional.normalize(torch.randn(a.batch, w["text_projection.weight"].shape[0]),
                                          dim=-1)
    labels = torch.randint(a.classes, (a.batch,))
    impl = "plain torch" if a.tower == "plain" else f"transformers {__import__('transformers').__version__} ({a.attn})"
    print(f"coop reference: {impl}, torch {torch.__version__}, {torch.get_num_threads()} threads, {a.classes} classes, "
          f"batch {a.batch}, {a.n_ctx} context vectors")
    settings = (("with end-of-text cut", a.cut_length), ("full 77 tokens", 77))
    for name, length in settings[1:] if a.only == "full" else settings[:1] if a.only == "cut" else settings:
        ids = torch.randint(1, 49406, (a.classes, length))
        eot = torch.full((a.classes,), a.cut_length - 1)
        tokens = emb[ids]
        ctx = torch.nn.Parameter(emb[torch.randint(1, 49406, (a.n_ctx,))].clone())
        opt = torch.optim.SGD([ctx], lr=0.002, momentum=0.9, weight_decay=5e-4)

        def step():
            prompts = torch.cat([tokens[:, :1], ctx.expand(a.classes, -1, -1), tokens[:, 1 + a.n_ctx:]], dim=1)
            text = torch.nn.functional.normalize(tower.forward(prompts, eot), dim=-1)
            loss = torch.nn.functional.cross_entropy(scale * feats @ text.T, labels)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()

        step()
        t = time.perf_counter()
        for _ in range(a.steps):
            step()
        print(f"s/step {name}: {(time.perf_counter() - t) / a.steps:.4f}")


if __name__ == "__main__":
    main()
