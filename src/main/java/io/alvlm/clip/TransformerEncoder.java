package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import io.alvlm.data.EngineScalar;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The pre-norm transformer stack shared by CLIP's two towers ({@code CLIPEncoder}): per layer,
 * {@code x + attn(ln1(x))} then {@code x + mlp(ln2(x))}. Weights live in the model's capped weight
 * manager; every intermediate is created on the manager of the input, so a caller's scope frees them.
 */
final class TransformerEncoder {
  private record Layer(NDArray ln1w, NDArray ln1b, NDArray qkv, NDArray qkvBias, NDArray out, NDArray outBias,
      NDArray ln2w, NDArray ln2b, NDArray fc1, NDArray fc1b, NDArray fc2, NDArray fc2b) {}

  private final ClipConfig.Tower tower;
  private final List<Layer> layers = new ArrayList<>();

  TransformerEncoder(Checkpoint ck, String prefix, ClipConfig.Tower tower) throws IOException {
    this.tower = tower;
    long d = tower.width();
    long m = tower.mlpWidth();
    for (int i = 0; i < tower.layers(); i++) {
      String p = prefix + ".encoder.layers." + i + ".";
      String a = p + "self_attn.";
      layers.add(new Layer(ck.tensor(p + "layer_norm1.weight", d), ck.tensor(p + "layer_norm1.bias", d),
          outByIn(ck.linears(d, new String[] {a + "q_proj.weight", a + "k_proj.weight", a + "v_proj.weight"}, d)),
          ck.vectors(new String[] {a + "q_proj.bias", a + "k_proj.bias", a + "v_proj.bias"}, d),
          outByIn(ck.linear(a + "out_proj.weight", d, d)), ck.tensor(a + "out_proj.bias", d),
          ck.tensor(p + "layer_norm2.weight", d), ck.tensor(p + "layer_norm2.bias", d),
          outByIn(ck.linear(p + "mlp.fc1.weight", m, d)), ck.tensor(p + "mlp.fc1.bias", m),
          outByIn(ck.linear(p + "mlp.fc2.weight", d, m)), ck.tensor(p + "mlp.fc2.bias", d)));
    }
  }

  /**
   * An {@code [in, out]} weight as the {@code [out, in]} view {@code torch.nn.functional.linear}
   * takes (no copy; made before the weight manager is capped), so bias and product are one addmm.
   */
  private static NDArray outByIn(NDArray inByOut) {
    return inByOut.transpose();
  }

  private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
    return Linear.linear(x, weight, bias).singletonOrThrow();
  }

  /** Runs every layer on {@code x [B, T, width]}; {@code mask} is {@code [T, T]} additive, or null. */
  NDArray forward(NDArray x, NDArray mask) {
    for (Layer l : layers) {
      // a layer's temporaries are freed as soon as it is done (what autograd saved stays alive in
      // its graph), so the next layer's allocations reuse warm memory instead of faulting in pages
      try (NDScope scope = new NDScope()) {
        NDArray y = x.add(attention(norm(x, l.ln1w, l.ln1b), mask, l));
        NDArray h = linear(norm(y, l.ln2w, l.ln2b), l.fc1, l.fc1b);
        x = y.add(linear(activate(h), l.fc2, l.fc2b));
        NDScope.unregister(x);
      }
    }
    return x;
  }

  NDArray norm(NDArray x, NDArray gamma, NDArray beta) {
    return LayerNorm.layerNorm(x, new Shape(gamma.getShape().get(0)), gamma, beta, tower.eps()).singletonOrThrow();
  }

  private NDArray attention(NDArray x, NDArray mask, Layer l) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long d = tower.width();
    int heads = tower.heads();
    long hd = d / heads;
    // one [B, T, 3, H, hd] projection, then q, k, v as [B, H, T, hd]; split, not get(i): the
    // gradient of a split is one concatenation, that of get(i) a zero-filled copy of all three
    NDList qkv = linear(x, l.qkv, l.qkvBias).reshape(b, t, 3, heads, hd).split(3, 2);
    NDArray q = EngineScalar.times(heads(qkv.get(0), b, t, heads, hd), (float) (1.0 / Math.sqrt(hd)));
    NDArray k = heads(qkv.get(1), b, t, heads, hd);
    NDArray v = heads(qkv.get(2), b, t, heads, hd);
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2));
    if (mask != null) {
      scores = scores.add(mask);
    }
    NDArray ctx = scores.softmax(-1).matMul(v).transpose(0, 2, 1, 3).reshape(b, t, d);
    return linear(ctx, l.out, l.outBias);
  }

  /** One {@code [B, T, 1, H, hd]} slice of the projection as {@code [B, H, T, hd]} (views, no copy). */
  private static NDArray heads(NDArray slice, long b, long t, int heads, long hd) {
    return slice.reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
  }

  private NDArray activate(NDArray h) {
    if (tower.activation().equals("gelu")) {
      return Activation.gelu(h);
    }
    return h.mul(Activation.sigmoid(EngineScalar.times(h, 1.702f)));
  }
}
