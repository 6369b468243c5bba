#!/usr/bin/env python3
"""Writes a CLIP checkpoint with random weights in Hugging Face layout (config.json,
model.safetensors, tokenizer.json), for benchmarks that need a real-size model without a download.

The text tower has OpenAI's ViT-B/16 shape (12 layers, width 512, 8 heads, MLP 2048, 77 positions,
projection 512) unless told otherwise; the vision tower is tiny (2 layers, width 96, 32x32 images),
because `bench coop` never runs it, or with `--vision ViT-B/16` has OpenAI's ViT-B/16 shape (12 layers,
width 768, 12 heads, MLP 3072, patch 16, 224x224 images), for `bench service` and `bench clip`. Weights are N(0, 0.02), layer norms 1 and 0, logit scale 100:
speed, not accuracy, is what such a model can measure. Needs numpy only.

  python3 bench/random_clip.py /tmp/clip-b16-text [--layers 12 --width 512 --heads 8 --projection 512]
  python3 bench/random_clip.py /tmp/clip-b16 --vision ViT-B/16
"""
import argparse
import json
import shutil
import struct
from pathlib import Path

import numpy as np

# vision tower shapes: layers, width, heads, MLP, patch, image size
VISION = {"tiny": (2, 96, 4, 384, 8, 32), "ViT-B/16": (12, 768, 12, 3072, 16, 224)}


def text_tensors(rng, layers, width, mlp, projection, vocab=49408, positions=77):
    t = {"text_model.embeddings.token_embedding.weight": (vocab, width),
         "text_model.embeddings.position_embedding.weight": (positions, width),
         "text_model.final_layer_norm.weight": (width,), "text_model.final_layer_norm.bias": (width,),
         "text_projection.weight": (projection, width)}
    return tower(t, "text_model", layers, width, mlp)


def vision_tensors(width, mlp, projection, layers, patch, image):
    t = {"vision_model.embeddings.class_embedding": (width,),
         "vision_model.embeddings.patch_embedding.weight": (width, 3, patch, patch),
         "vision_model.embeddings.position_embedding.weight": ((image // patch) ** 2 + 1, width),
         "vision_model.pre_layrnorm.weight": (width,), "vision_model.pre_layrnorm.bias": (width,),
         "vision_model.post_layernorm.weight": (width,), "vision_model.post_layernorm.bias": (width,),
         "visual_projection.weight": (projection, width)}
    return tower(t, "vision_model", layers, width, mlp)


def tower(t, prefix, layers, width, mlp):
    for i in range(layers):
        p = f"{prefix}.encoder.layers.{i}."
        for n in ("q_proj", "k_proj", "v_proj", "out_proj"):
            t[p + f"self_attn.{n}.weight"] = (width, width)
            t[p + f"self_attn.{n}.bias"] = (width,)
        for n in ("layer_norm1", "layer_norm2"):
            t[p + n + ".weight"] = (width,)
            t[p + n + ".bias"] = (width,)
        t[p + "mlp.fc1.weight"] = (mlp, width)
        t[p + "mlp.fc1.bias"] = (mlp,)
        t[p + "mlp.fc2.weight"] = (width, mlp)
        t[p + "mlp.fc2.bias"] = (width,)
    return t


def value(rng, name, shape):
    if "norm" in name:
        return np.ones(shape, np.float32) if name.endswith("weight") else np.zeros(shape, np.float32)
    if name.endswith("bias"):
        return np.zeros(shape, np.float32)
    return (rng.standard_normal(shape, dtype=np.float32) * 0.02).astype(np.float32)


def write_safetensors(path, tensors):
    header, offset, blobs = {}, 0, []
    for name in sorted(tensors):
        b = np.ascontiguousarray(tensors[name], dtype="<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(tensors[name].shape), "data_offsets": [offset, offset + len(b)]}
        offset += len(b)
        blobs.append(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", type=Path)
    ap.add_argument("--layers", type=int, default=12)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--heads", type=int, default=8)
    ap.add_argument("--projection", type=int, default=512)
    ap.add_argument("--vision", choices=sorted(VISION), default="tiny")
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    root = Path(__file__).resolve().parent.parent
    rng = np.random.default_rng(a.seed)
    shapes = text_tensors(rng, a.layers, a.width, 4 * a.width, a.projection)
    v_layers, v_width, v_heads, v_mlp, patch, image = VISION[a.vision]
    shapes.update(vision_tensors(v_width, v_mlp, a.projection, v_layers, patch, image))
    tensors = {n: value(rng, n, s) for n, s in shapes.items()}
    tensors["logit_scale"] = np.array(np.log(100.0), np.float32)
    a.out.mkdir(parents=True, exist_ok=True)
    write_safetensors(a.out / "model.safetensors", tensors)
    cfg = json.loads((root / "models/clip-tiny/config.json").read_text())
    cfg["_name_or_path"] = f"random-clip-text{a.layers}x{a.width}-vision-{a.vision}"
    cfg["projection_dim"] = a.projection
    cfg["text_config"].update(hidden_size=a.width, intermediate_size=4 * a.width, num_attention_heads=a.heads,
                              num_hidden_layers=a.layers, projection_dim=a.projection)
    cfg["vision_config"].update(hidden_size=v_width, intermediate_size=v_mlp, num_attention_heads=v_heads,
                                num_hidden_layers=v_layers, patch_size=patch, image_size=image,
                                projection_dim=a.projection)
    (a.out / "config.json").write_text(json.dumps(cfg, indent=2))
    shutil.copy(root / "models/clip-tiny/tokenizer.json", a.out / "tokenizer.json")
    print(f"wrote {a.out}: text {a.layers}x{a.width}, {a.heads} heads, vision {a.vision} "
          f"({v_layers}x{v_width}, {v_heads} heads, patch {patch}, {image}px), projection {a.projection}")


if __name__ == "__main__":
    main()
