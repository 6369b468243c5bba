package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;

/**
 * SigLIP's image tower ({@code SiglipVisionTransformer}): patches as one matrix product plus the
 * convolution's bias, positions (no class token, no pre-norm), the shared encoder with
 * bidirectional attention, post-norm of every patch state, then the {@link AttentionPoolingHead}.
 * There is no projection: the feature is the vision width. As in {@link VisionTower}, the products
 * run in the checkpoint's type and the embeddings, norms and residual stream in float32. An image side that is not a multiple of
 * the patch (So400m/14 at 384 px: 27 patches of 14) loses its last rows and columns, as the
 * stride-patch convolution does.
 */
final class SiglipVisionTower implements VisionModel {
  private final ClipConfig cfg;
  private final DataType type;
  private final NDArray patchWeight;
  private final NDArray patchBias;
  private final NDArray positions;
  private final NDArray postW;
  private final NDArray postB;
  private final TransformerEncoder encoder;
  private final AttentionPoolingHead head;

  SiglipVisionTower(Checkpoint ck, ClipConfig cfg) throws IOException {
    this.cfg = cfg;
    long d = cfg.vision().width();
    int p = cfg.patchSize();
    String e = "vision_model.embeddings.";
    type = ck.type();
    patchWeight = ck.patchMatrix(e + "patch_embedding.weight", d, p);
    Checkpoint stream = ck.as(DataType.FLOAT32);
    patchBias = stream.tensor(e + "patch_embedding.bias", d);
    positions = stream.tensor(e + "position_embedding.weight", cfg.visionTokens(), d);
    postW = stream.tensor("vision_model.post_layernorm.weight", d);
    postB = stream.tensor("vision_model.post_layernorm.bias", d);
    encoder = new TransformerEncoder(ck, "vision_model", cfg.vision(), true);
    head = new AttentionPoolingHead(ck, "vision_model.head.", cfg.vision(), encoder);
  }

  @Override
  public NDArray forward(NDArray pixels) {
    int size = cfg.imageSize();
    VisionModel.checkPixels(pixels, size);
    long b = pixels.getShape().get(0);
    int p = cfg.patchSize();
    long g = cfg.patchGrid();
    NDArray in = pixels.getDataType() == type ? pixels : pixels.toType(type, false);
    if (g * p != size) {
      in = in.get(new NDIndex(":, :, 0:{}, 0:{}", g * p, g * p));
    }
    NDArray x = TransformerEncoder.up(in.reshape(b, 3, g, p, g, p).transpose(0, 2, 4, 1, 3, 5)
        .reshape(b, g * g, 3L * p * p).matMul(patchWeight)).add(patchBias).add(positions);
    x = encoder.forward(x, null);
    return head.forward(encoder.norm(x, postW, postB));
  }
}
