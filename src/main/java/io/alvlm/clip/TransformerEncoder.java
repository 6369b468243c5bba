package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.alvlm.data.EngineScalar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre-norm transformer stack shared by the towers of CLIP and SigLIP ({@code CLIPEncoder},
 * {@code SiglipEncoder}; the tower config gives the activation and layer-norm epsilon, the caller
 * the mask: causal, or null for bidirectional attention): per layer,
 * {@code x + attn(ln1(x))} then {@code x + mlp(ln2(x))}. Weights live in the model's capped weight
 * manager; every intermediate is created on the manager of the input.
 *
 * <p>Each layer runs in its own {@link NDScope}, so its intermediates are freed when it ends, not
 * when the caller's scope does: at ViT-B/16 size and batch 32 that is ~0.8 GB a layer, which kept
 * for all 12 layers took the process to 11 GB and spent much of its time faulting fresh pages in.
 * Projections are {@code torch.nn.functional.linear} on {@code [out, in]} weights (bias fused into
 * the product); q, k and v are one product, with the 1/√(head width) scale folded into q's weights.
 *
 * <p>Built from a half-precision checkpoint (fp16, bf16), the products and attention run in that type
 * while the residual stream and the layer norms stay float32: each branch's input is cast down after its
 * norm and its output cast back up before the add, so the stream is not rounded to 8 or 11 bits after
 * every layer (in bf16, a tiny CLIP's features went from 2.3% to 2.0% off fp32; the rest is the products'
 * own rounding). The casts are elementwise passes, small beside the products.
 */
final class TransformerEncoder {
  private record Layer(NDArray ln1w, NDArray ln1b, NDArray qkv, NDArray qkvBias, NDArray out, NDArray outBias,
      NDArray ln2w, NDArray ln2b, NDArray fc1, NDArray fc1b, NDArray fc2, NDArray fc2b) {}

  private final ClipConfig.Tower tower;
  private final boolean inferenceOnly;
  /** The products' type; the residual stream is float32 whatever it is. */
  private final DataType compute;
  private final List<Layer> layers = new ArrayList<>();

  /**
   * @param inferenceOnly true when nothing is ever differentiated through this stack (the image
   *     tower): residual adds and the activation then write into arrays they own, saving an
   *     allocation each; the text tower (CoOp trains through it) passes false
   */
  TransformerEncoder(Checkpoint ck, String prefix, ClipConfig.Tower tower, boolean inferenceOnly) throws IOException {
    this.tower = tower;
    this.inferenceOnly = inferenceOnly;
    this.compute = ck.type();
    Checkpoint stream = ck.as(DataType.FLOAT32);
    long d = tower.width();
    long m = tower.mlpWidth();
    float scale = (float) (1.0 / Math.sqrt((double) d / tower.heads()));
    for (int i = 0; i < tower.layers(); i++) {
      String p = prefix + ".encoder.layers." + i + ".";
      String a = p + "self_attn.";
      layers.add(new Layer(stream.tensor(p + "layer_norm1.weight", d), stream.tensor(p + "layer_norm1.bias", d),
          ck.rows(new String[] {a + "q_proj.weight", a + "k_proj.weight", a + "v_proj.weight"}, new float[] {scale, 1, 1}, d, d),
          ck.rows(new String[] {a + "q_proj.bias", a + "k_proj.bias", a + "v_proj.bias"}, new float[] {scale, 1, 1}, d),
          ck.tensor(a + "out_proj.weight", d, d), ck.tensor(a + "out_proj.bias", d),
          stream.tensor(p + "layer_norm2.weight", d), stream.tensor(p + "layer_norm2.bias", d),
          ck.tensor(p + "mlp.fc1.weight", m, d), ck.tensor(p + "mlp.fc1.bias", m),
          ck.tensor(p + "mlp.fc2.weight", d, m), ck.tensor(p + "mlp.fc2.bias", d)));
    }
  }

  /**
   * Runs every layer on {@code x [B, T, width]} (float32); {@code mask} is {@code [T, T]} additive, or null.
   * The result is registered in the caller's scope (if any); {@code x} itself is left alone.
   */
  NDArray forward(NDArray x, NDArray mask) {
    NDArray input = x;
    for (Layer l : layers) {
      try (NDScope scope = new NDScope()) {
        NDArray h = residual(x, up(attention(down(norm(x, l.ln1w, l.ln1b)), mask, l)));
        NDArray y = residual(h, up(linear(activate(linear(down(norm(h, l.ln2w, l.ln2b)), l.fc1, l.fc1b)), l.fc2, l.fc2b)));
        NDScope.unregister(y);
        if (x != input) x.close();
        x = y;
      }
    }
    if (x != input) NDScope.register(x);
    return x;
  }

  NDArray norm(NDArray x, NDArray gamma, NDArray beta) {
    return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, tower.eps()).singletonOrThrow();
  }

  /** A float32 array in the products' type. */
  NDArray down(NDArray x) {
    return compute == DataType.FLOAT32 ? x : x.toType(compute, false);
  }

  /** A product's result back in float32. */
  static NDArray up(NDArray x) {
    return x.getDataType() == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
  }

  /** {@code fc2(act(fc1(x)))} with this tower's activation, for an MLP outside the layers (SigLIP's pooling head),
   * in the products' type like the layers' MLP; float32 in, float32 out. */
  NDArray feedForward(NDArray x, NDArray fc1, NDArray fc1b, NDArray fc2, NDArray fc2b) {
    return up(linear(activate(linear(down(x), fc1, fc1b)), fc2, fc2b));
  }

  private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return Linear.linear(x, weight, bias).singletonOrThrow();
  }

  private NDArray attention(NDArray x, NDArray mask, Layer l) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long d = tower.width();
    int heads = tower.heads();
    long hd = d / heads;
    // one [B, T, 3, H, hd] projection (q already scaled), then q, k, v as [B, H, T, hd]; split, not
    // get(i): the gradient of a split is one concatenation, that of get(i) a zero-filled copy of all three
    NDList qkv = linear(x, l.qkv, l.qkvBias).reshape(b, t, 3, heads, hd).split(3, 2);
    NDArray scores = heads(qkv.get(0), b, t, heads, hd).matMul(heads(qkv.get(1), b, t, heads, hd).transpose(0, 1, 3, 2));
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray ctx = scores.softmax(-1).matMul(heads(qkv.get(2), b, t, heads, hd)).transpose(0, 2, 1, 3).reshape(b, t, d);
    return linear(ctx, l.out, l.outBias);
  }

  /** One {@code [B, T, 1, H, hd]} slice of the projection as {@code [B, H, T, hd]} (views, no copy). */
  private static NDArray heads(NDArray slice, long b, long t, int heads, long hd) {
    return slice.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
  }

  /** {@code x + branch}; in place into {@code branch} (a fresh array of this layer) when inference-only. */
  private NDArray residual(NDArray x, NDArray branch) {
    return inferenceOnly ? branch.addi(x) : x.add(branch);
  }

  private NDArray activate(NDArray h) {
    if (tower.activation().equals("gelu")) {
      return Activation.gelu(h);
    }
    NDArray gate = Activation.sigmoid(tower.activation().equals("gelu_pytorch_tanh") ? tanhGeluGateInput(h)
        : EngineScalar.times(h, 1.702f));
    return inferenceOnly ? gate.muli(h) : h.mul(gate);
  }

  /**
   * SigLIP's {@code gelu_pytorch_tanh}, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}, is
   * {@code x·σ(2√(2/π)·x·(1 + 0.044715·x²))} (as 0.5·(1 + tanh z) = σ(2z)): this is the argument
   * of that σ, so the gate shares quick_gelu's code. DJL has no tanh-approximate GELU.
   */
  private NDArray tanhGeluGateInput(NDArray h) {
    float k = (float) (2 * Math.sqrt(2 / Math.PI));
    NDArray u = EngineScalar.times(h.square(), 0.044715f * k);
    NDArray kOne = EngineScalar.of(h.getManager(), k);
    return inferenceOnly ? u.addi(kOne).muli(h) : u.add(kOne).mul(h);
  }
}
