#!/usr/bin/env python3
"""Images/s of Hugging Face transformers' SiglipVisionModel, the reference for `alvlm bench clip --arch SigLIP-B/16`.

The model is transformers' own (eager attention, fp32, CPU, inference under torch.no_grad()), built
from a SiglipVisionConfig with the published shapes and random weights: nothing is downloaded. It
times what `get_image_features` runs: patch convolution, positions, the encoder, post-LayerNorm and
the attention-pooling head. torch.set_num_threads(2) unless told otherwise, as `bench clip` runs.
Needs torch and transformers, e.g. in a virtual environment:

  python3 -m venv /tmp/hfenv && /tmp/hfenv/bin/pip install torch transformers
  /tmp/hfenv/bin/python bench/siglip_reference.py --arch SigLIP-B/16 --batch 8
"""
import argparse
import time

import torch
import transformers
from transformers import SiglipVisionConfig, SiglipVisionModel

# width, MLP width, layers, heads, patch, image size: google/siglip-base-patch16-224 (SiglipConfig's
# defaults) and google/siglip2-so400m-patch14-384; both gelu_pytorch_tanh, layer-norm epsilon 1e-6
ARCHS = {"SigLIP-B/16": (768, 3072, 12, 12, 16, 224), "SigLIP2-So400m/14-384": (1152, 4304, 27, 16, 14, 384)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="SigLIP-B/16", choices=sorted(ARCHS))
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10.0, help="minimum timed seconds")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    d, mlp, layers, heads, patch, image = ARCHS[a.arch]
    cfg = SiglipVisionConfig(hidden_size=d, intermediate_size=mlp, num_hidden_layers=layers, num_attention_heads=heads,
                             patch_size=patch, image_size=image, hidden_act="gelu_pytorch_tanh", layer_norm_eps=1e-6)
    cfg._attn_implementation = "eager"
    model = SiglipVisionModel(cfg).eval()
    with torch.no_grad():
        pixels = torch.randn(a.batch, 3, image, image)
        model(pixel_values=pixels).pooler_output  # warm-up
        calls, start, cpu = 0, time.perf_counter(), time.process_time()
        while calls < 2 or time.perf_counter() - start < a.seconds:
            model(pixel_values=pixels).pooler_output
            calls += 1
        took, cpu = time.perf_counter() - start, time.process_time() - cpu
    params = sum(p.numel() for p in model.parameters())
    print(f"reference {a.arch}: transformers {transformers.__version__} SiglipVisionModel eager, torch "
          f"{torch.__version__}, {a.threads} threads, batch {a.batch}, {params / 1e6:.1f}M vision params: "
          f"{calls * a.batch / took:.2f} images/s, {calls * a.batch / cpu:.2f} images/CPU-s")


if __name__ == "__main__":
    main()
