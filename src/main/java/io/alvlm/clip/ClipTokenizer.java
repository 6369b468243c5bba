package io.alvlm.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CLIP's byte-level BPE, read from a Hugging Face {@code tokenizer.json} (DJL's tokenizers
 * binding, no network). Each text becomes {@code [start] tokens [end]} in a fixed context
 * (77 for CLIP), truncated to keep the end-of-text token last and padded with 0 after it.
 * Thread-safe.
 */
public final class ClipTokenizer implements AutoCloseable {
  /** Token ids {@code [n][context]} and the first end-of-text position of each row. */
  public record Tokens(long[][] ids, int[] endOfText) {
    /** One past the last end-of-text position of the batch: the length a batch can be cut to. */
    public int cutLength() {
      int max = 0;
      for (int e : endOfText) max = Math.max(max, e + 1);
      return max;
    }
  }

  private final HuggingFaceTokenizer tokenizer;
  private final int context;
  private final long endOfText;
  private final long startOfText;

  private ClipTokenizer(HuggingFaceTokenizer tokenizer, int context) {
    this.tokenizer = tokenizer;
    this.context = context;
    long[] empty = tokenizer.encode("").getIds();
    if (empty.length < 2) {
      throw new IllegalStateException("tokenizer adds no start/end tokens: is this CLIP's tokenizer.json?");
    }
    this.endOfText = empty[empty.length - 1];
    this.startOfText = empty[0];
  }

  /** Loads {@code tokenizer.json}; {@code context} is the text tower's position count (77). */
  public static ClipTokenizer load(Path tokenizerJson, int context) throws IOException {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new IOException(tokenizerJson + " is missing: the model directory needs CLIP's tokenizer.json");
    }
    HuggingFaceTokenizer t = HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(true).optTruncation(false).optPadding(false).optMaxLength(100_000).build();
    return new ClipTokenizer(t, context);
  }

  public long startOfTextId() {
    return startOfText;
  }

  public long endOfTextId() {
    return endOfText;
  }

  public int context() {
    return context;
  }

  /** Tokenises each text (with start and end tokens) into the fixed context. */
  public Tokens encode(List<String> texts) {
    long[][] ids = new long[texts.size()][];
    int[] eot = new int[texts.size()];
    for (int i = 0; i < ids.length; i++) {
      long[] raw = tokenizer.encode(texts.get(i)).getIds();
      long[] row = new long[context];
      int n = Math.min(raw.length, context);
      System.arraycopy(raw, 0, row, 0, n);
      if (raw.length > context) {
        row[context - 1] = endOfText;
      }
      ids[i] = row;
      eot[i] = firstEndOfText(row);
    }
    return new Tokens(ids, eot);
  }

  /** Ids of {@code text} without start and end tokens (for context initialisation from words). */
  public long[] words(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  int firstEndOfText(long[] row) {
    for (int j = 0; j < row.length; j++) {
      if (row[j] == endOfText) return j;
    }
    throw new IllegalArgumentException("token row has no end-of-text token " + endOfText);
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
