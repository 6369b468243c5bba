package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import java.io.IOException;

/**
 * SigLIP's image pooling ({@code SiglipMultiheadAttentionPoolingHead}): one learnt probe attends
 * over all patch states ({@code torch.nn.MultiheadAttention}: packed q, k, v input projection,
 * output projection), then {@code h + mlp(layerNorm(h))}; the result is the image feature.
 *
 * <p>The probe is a weight, so its query is too: it is projected, scaled by 1/√(head width) and
 * split into heads once, here, leaving keys and values as the only per-image projections.
 */
final class AttentionPoolingHead {
  private final int heads;
  private final long width;
  /** The probe's query per head, {@code [H, head width, 1]}, so scores are one {@code keys · query}. */
  private final NDArray query;
  private final NDArray keyValue;
  private final NDArray keyValueBias;
  private final NDArray out;
  private final NDArray outBias;
  private final NDArray lnW;
  private final NDArray lnB;
  private final NDArray fc1;
  private final NDArray fc1b;
  private final NDArray fc2;
  private final NDArray fc2b;
  private final TransformerEncoder encoder;

  /** @param encoder the vision tower's encoder, whose layer norm and MLP activation the head shares */
  AttentionPoolingHead(Checkpoint ck, String prefix, ClipConfig.Tower tower, TransformerEncoder encoder)
      throws IOException {
    this.encoder = encoder;
    heads = tower.heads();
    width = tower.width();
    int d = tower.width();
    long m = tower.mlpWidth();
    int hd = d / heads;
    String a = prefix + "attention.";
    float[] probe = ck.floats(prefix + "probe", 1, 1, d);
    float[] in = ck.floats(a + "in_proj_weight", 3L * d, d);
    float[] inBias = ck.floats(a + "in_proj_bias", 3L * d);
    double scale = 1.0 / Math.sqrt(hd);
    float[] q = new float[d];
    for (int j = 0; j < d; j++) {
      double sum = inBias[j];
      for (int i = 0; i < d; i++) sum += (double) in[j * d + i] * probe[i];
      q[j] = (float) (sum * scale);
    }
    query = ck.array(q, heads, hd, 1);
    keyValue = ck.array(java.util.Arrays.copyOfRange(in, d * d, 3 * d * d), 2L * d, d);
    keyValueBias = ck.array(java.util.Arrays.copyOfRange(inBias, d, 3 * d), 2L * d);
    out = ck.tensor(a + "out_proj.weight", d, d);
    outBias = ck.tensor(a + "out_proj.bias", d);
    Checkpoint stream = ck.as(DataType.FLOAT32);
    lnW = stream.tensor(prefix + "layernorm.weight", d);
    lnB = stream.tensor(prefix + "layernorm.bias", d);
    fc1 = ck.tensor(prefix + "mlp.fc1.weight", m, d);
    fc1b = ck.tensor(prefix + "mlp.fc1.bias", m);
    fc2 = ck.tensor(prefix + "mlp.fc2.weight", d, m);
    fc2b = ck.tensor(prefix + "mlp.fc2.bias", d);
  }

  /**
   * Image features {@code [B, width]}, float32, of post-normed float32 patch states {@code [B, T, width]};
   * the products run in the checkpoint's type.
   */
  NDArray forward(NDArray x) {
    Shape s = x.getShape();
    long b = s.get(0);
    long t = s.get(1);
    long hd = width / heads;
    // keys and values as [B, H, T, hd]; scores [B, H, T, 1] with the data as first operand, so
    // results stay on the data's manager, not the weights'
    NDList kv = Linear.linear(encoder.down(x), keyValue, keyValueBias).singletonOrThrow().reshape(b, t, 2, heads, hd).split(2, 2);
    NDArray keys = kv.get(0).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
    NDArray values = kv.get(1).reshape(b, t, heads, hd).transpose(0, 2, 1, 3);
    NDArray weights = keys.matMul(query).softmax(2);
    NDArray pooled = weights.transpose(0, 1, 3, 2).matMul(values).reshape(b, width);
    NDArray h = TransformerEncoder.up(Linear.linear(pooled, out, outBias).singletonOrThrow());
    return h.add(encoder.feedForward(encoder.norm(h, lnW, lnB), fc1, fc1b, fc2, fc2b));
  }
}
