#!/usr/bin/env python3
"""Images/s of a CLIP image tower in PyTorch eager, the reference for `alvlm bench clip --arch`.

This is Hugging Face transformers' CLIPVisionTransformer + visual_projection module layout written
out in plain torch (a stand-in for transformers, which is not installable here): a stride-p patch
convolution without bias, the class token, learnt positions, pre-LayerNorm, encoder blocks of
`x + attn(ln1(x))`, `x + mlp(ln2(x))` with separate q/k/v/out Linear layers, eager softmax attention
and quick_gelu, post-LayerNorm on the class token, and a bias-free projection. Random weights
N(0, 0.02), fp32, inference under torch.no_grad(), torch.set_num_threads(2) unless told otherwise.
Needs torch only (/usr/bin/python3 has torch 1.13).

  /usr/bin/python3 bench/clip_reference.py --arch ViT-B/16 --batch 32
"""
import argparse
import time

import torch
from torch import nn

# vision width, layers, heads, patch, image size, projection (OpenAI's published configs)
ARCHS = {"ViT-B/32": (768, 12, 12, 32, 224, 512), "ViT-B/16": (768, 12, 12, 16, 224, 512),
         "ViT-L/14": (1024, 24, 16, 14, 224, 768), "ViT-L/14-336": (1024, 24, 16, 14, 336, 768)}


class Attention(nn.Module):  # CLIPAttention (eager)
    def __init__(self, d, heads):
        super().__init__()
        self.heads, self.hd = heads, d // heads
        self.scale = self.hd ** -0.5
        self.q_proj, self.k_proj, self.v_proj, self.out_proj = (nn.Linear(d, d) for _ in range(4))

    def forward(self, x):
        b, t, d = x.shape
        q = (self.q_proj(x) * self.scale).view(b, t, self.heads, self.hd).transpose(1, 2)
        k = self.k_proj(x).view(b, t, self.heads, self.hd).transpose(1, 2)
        v = self.v_proj(x).view(b, t, self.heads, self.hd).transpose(1, 2)
        w = torch.softmax(q @ k.transpose(-1, -2), dim=-1)
        return self.out_proj((w @ v).transpose(1, 2).reshape(b, t, d))


class Mlp(nn.Module):  # CLIPMLP with quick_gelu
    def __init__(self, d):
        super().__init__()
        self.fc1, self.fc2 = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)

    def forward(self, x):
        h = self.fc1(x)
        return self.fc2(h * torch.sigmoid(1.702 * h))


class Layer(nn.Module):  # CLIPEncoderLayer
    def __init__(self, d, heads):
        super().__init__()
        self.layer_norm1, self.self_attn = nn.LayerNorm(d), Attention(d, heads)
        self.layer_norm2, self.mlp = nn.LayerNorm(d), Mlp(d)

    def forward(self, x):
        x = x + self.self_attn(self.layer_norm1(x))
        return x + self.mlp(self.layer_norm2(x))


class VisionTower(nn.Module):  # CLIPVisionTransformer + visual_projection
    def __init__(self, d, layers, heads, patch, image, projection):
        super().__init__()
        self.patch_embedding = nn.Conv2d(3, d, patch, stride=patch, bias=False)
        self.class_embedding = nn.Parameter(torch.randn(d) * 0.02)
        self.position_embedding = nn.Embedding((image // patch) ** 2 + 1, d)
        self.pre_layrnorm = nn.LayerNorm(d)
        self.layers = nn.ModuleList(Layer(d, heads) for _ in range(layers))
        self.post_layernorm = nn.LayerNorm(d)
        self.visual_projection = nn.Linear(d, projection, bias=False)

    def forward(self, pixels):
        p = self.patch_embedding(pixels).flatten(2).transpose(1, 2)
        cls = self.class_embedding.expand(pixels.shape[0], 1, -1)
        x = torch.cat([cls, p], dim=1) + self.position_embedding.weight
        x = self.pre_layrnorm(x)
        for layer in self.layers:
            x = layer(x)
        return self.visual_projection(self.post_layernorm(x[:, 0, :]))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="ViT-B/16", choices=sorted(ARCHS))
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0, help="minimum timed seconds")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d, layers, heads, patch, image, projection = ARCHS[a.arch]
    model = VisionTower(d, layers, heads, patch, image, projection).eval()
    with torch.no_grad():
        for prm in model.parameters():
            prm.normal_(0, 0.02)
        pixels = torch.randn(a.batch, 3, image, image)
        model(pixels)  # warm-up
        calls, start, cpu = 0, time.perf_counter(), time.process_time()
        while calls < 2 or time.perf_counter() - start < a.seconds:
            model(pixels)
            calls += 1
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
    params = sum(p.numel() for p in model.parameters())
    print(f"reference {a.arch}: torch {torch.__version__} eager, {a.threads} threads, batch {a.batch}, "
          f"{params / 1e6:.1f}M vision params: {calls * a.batch / took:.2f} images/s, "
          f"{calls * a.batch / cpu:.2f} images/CPU-s")


if __name__ == "__main__":
    main()
