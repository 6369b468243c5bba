package io.alvlm.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;

/**
 * CLIP's image tower ({@code CLIPVisionTransformer} + {@code visual_projection}): patches as one
 * matrix product, class token, positions, pre-norm, encoder, post-norm of the class token,
 * projection. Input {@code [B, 3, S, S]} preprocessed pixels; output {@code [B, projection]}, not
 * normalised, float32. The patch and projection products and the encoder's run in the type of the
 * checkpoint it was built from (fp32, fp16, bf16); embeddings, norms and the residual stream in float32
 * ({@link TransformerEncoder}).
 */
final class VisionTower implements VisionModel {
  private final ClipConfig cfg;
  private final DataType type;
  private final NDArray classEmbedding;
  private final NDArray patchWeight;
  private final NDArray positions;
  private final NDArray preW;
  private final NDArray preB;
  private final NDArray postW;
  private final NDArray postB;
  private final NDArray projection;
  private final TransformerEncoder encoder;

  VisionTower(Checkpoint ck, ClipConfig cfg) throws IOException {
    this.cfg = cfg;
    long d = cfg.vision().width();
    int p = cfg.patchSize();
    String e = "vision_model.embeddings.";
    type = ck.type();
    Checkpoint stream = ck.as(DataType.FLOAT32);
    classEmbedding = stream.array(ck.floats(e + "class_embedding", d), 1, 1, d);
    patchWeight = ck.patchMatrix(e + "patch_embedding.weight", d, p);
    positions = stream.tensor(e + "position_embedding.weight", cfg.visionTokens(), d);
    preW = stream.tensor("vision_model.pre_layrnorm.weight", d);
    preB = stream.tensor("vision_model.pre_layrnorm.bias", d);
    postW = stream.tensor("vision_model.post_layernorm.weight", d);
    postB = stream.tensor("vision_model.post_layernorm.bias", d);
    projection = ck.linear("visual_projection.weight", cfg.projectionDim(), d);
    encoder = new TransformerEncoder(ck, "vision_model", cfg.vision(), true);
  }

  @Override
  public NDArray forward(NDArray pixels) {
    int size = cfg.imageSize();
    VisionModel.checkPixels(pixels, size);
    long b = pixels.getShape().get(0);
    int p = cfg.patchSize();
    long g = size / p;
    long d = cfg.vision().width();
    NDArray in = pixels.getDataType() == type ? pixels : pixels.toType(type, false);
    NDArray patches = TransformerEncoder.up(in.reshape(b, 3, g, p, g, p).transpose(0, 2, 4, 1, 3, 5)
        .reshape(b, g * g, 3L * p * p).matMul(patchWeight));
    // zeros first: an op whose first operand is a weight would attach its result to the capped weight manager
    NDArray cls = pixels.getManager().zeros(new Shape(b, 1, d), DataType.FLOAT32).add(classEmbedding);
    NDArray x = NDArrays.concat(new NDList(cls, patches), 1).add(positions);
    x = encoder.norm(x, preW, preB);
    x = encoder.forward(x, null);
    NDArray pooled = encoder.norm(x.get(":, 0, :"), postW, postB);
    return TransformerEncoder.up(encoder.down(pooled).matMul(projection));
  }
}
