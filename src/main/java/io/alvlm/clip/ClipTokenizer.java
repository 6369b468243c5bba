package io.alvlm.clip;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * A checkpoint's tokenizer, read from its Hugging Face {@code tokenizer.json} (DJL's tokenizers
 * binding, no network): CLIP's byte-level BPE, or SigLIP's. Each text becomes the special tokens
 * the file's post-processor adds around its tokens — {@code [start] tokens [end]} for CLIP,
 * {@code tokens </s>} for SigLIP — in a fixed context (77 for CLIP, {@code max_position_embeddings}
 * for SigLIP), truncated to keep the trailing special tokens last (as transformers truncates) and
 * padded after them: with 0 for CLIP, as its references are; with the tokenizer's pad token for
 * SigLIP, whose text tower pools the last position and so reads the padding ({@link PadToken}).
 * Padding and truncation settings inside {@code tokenizer.json} are overridden by these. Thread-safe.
 */
public final class ClipTokenizer implements AutoCloseable {
  /**
   * Token ids {@code [n][context]} and, per row, the position of the first end-of-text token (CLIP)
   * or of the last token before the padding (SigLIP).
   */
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
  private final long[] prefix;
  private final long[] suffix;
  private final long pad;
  private final boolean firstEndOfText;

  private ClipTokenizer(HuggingFaceTokenizer tokenizer, int context, long pad, boolean firstEndOfText) {
    this.tokenizer = tokenizer;
    this.context = context;
    this.pad = pad;
    this.firstEndOfText = firstEndOfText;
    // what the post-processor puts around a text: compare a word with and without special tokens
    long[] full = tokenizer.encode("a").getIds();
    long[] bare = words("a");
    int at = indexOf(full, bare);
    if (at < 0) {
      throw new IllegalStateException("tokenizer.json's special tokens are not around the text: \"a\" is "
          + Arrays.toString(bare) + " alone and " + Arrays.toString(full) + " with them");
    }
    this.prefix = Arrays.copyOf(full, at);
    this.suffix = Arrays.copyOfRange(full, at + bare.length, full.length);
    if (firstEndOfText && (prefix.length != 1 || suffix.length != 1)) {
      throw new IllegalStateException("tokenizer adds no start/end tokens: is this CLIP's tokenizer.json?");
    }
    if (prefix.length + suffix.length >= context) {
      throw new IllegalStateException("tokenizer.json adds " + (prefix.length + suffix.length)
          + " special tokens, leaving no room in a context of " + context);
    }
  }

  /** Loads CLIP's {@code tokenizer.json}; {@code context} is the text tower's position count (77). */
  public static ClipTokenizer load(Path tokenizerJson, int context) throws IOException {
    return new ClipTokenizer(open(tokenizerJson), context, 0, true);
  }

  /**
   * Loads the tokenizer of a {@code family} checkpoint from {@code dir/tokenizer.json}; SigLIP's pad
   * id comes from the directory's tokenizer files ({@link PadToken}).
   */
  public static ClipTokenizer load(Path dir, ModelFamily family, int context) throws IOException {
    Path file = dir.resolve("tokenizer.json");
    if (family == ModelFamily.CLIP) return load(file, context);
    HuggingFaceTokenizer t = open(file);
    try {
      return new ClipTokenizer(t, context, PadToken.id(dir, t), false);
    } catch (IOException | RuntimeException e) {
      t.close();
      throw e;
    }
  }

  private static HuggingFaceTokenizer open(Path tokenizerJson) throws IOException {
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new IOException(tokenizerJson + " is missing: the model directory needs the checkpoint's tokenizer.json "
          + "(a checkpoint with only a SentencePiece model: save its tokenizer once with transformers' "
          + "AutoTokenizer.from_pretrained(dir).save_pretrained(dir))");
    }
    return HuggingFaceTokenizer.builder().optTokenizerPath(tokenizerJson)
        .optAddSpecialTokens(true).optTruncation(false).optPadding(false).optMaxLength(100_000).build();
  }

  /** CLIP's start-of-text id; a SigLIP tokenizer has none. */
  public long startOfTextId() {
    if (prefix.length == 0) throw new IllegalStateException("this tokenizer adds no start-of-text token");
    return prefix[0];
  }

  /** The last special token after a text ({@code <|endoftext|>}, {@code </s>}). */
  public long endOfTextId() {
    if (suffix.length == 0) throw new IllegalStateException("this tokenizer adds no end-of-text token");
    return suffix[suffix.length - 1];
  }

  /** Special tokens before a text (CLIP's start token; none for SigLIP). */
  public long[] prefix() {
    return prefix.clone();
  }

  /** Special tokens after a text (CLIP's end-of-text; SigLIP's {@code </s>}). */
  public long[] suffix() {
    return suffix.clone();
  }

  /** The id after the text, to the end of the context. */
  public long padId() {
    return pad;
  }

  public int context() {
    return context;
  }

  /** Tokenises each text (with its special tokens) into the fixed context. */
  public Tokens encode(List<String> texts) {
    long[][] ids = new long[texts.size()][];
    int[] eot = new int[texts.size()];
    for (int i = 0; i < ids.length; i++) {
      long[] raw = tokenizer.encode(texts.get(i)).getIds();
      long[] row = new long[context];
      Arrays.fill(row, pad);
      int n = Math.min(raw.length, context);
      System.arraycopy(raw, 0, row, 0, n);
      if (raw.length > context) {
        System.arraycopy(suffix, 0, row, context - suffix.length, suffix.length);
      }
      ids[i] = row;
      eot[i] = firstEndOfText ? firstEndOfText(row) : n - 1;
    }
    return new Tokens(ids, eot);
  }

  /** Ids of {@code text} without special tokens (for prompts built from words). */
  public long[] words(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  int firstEndOfText(long[] row) {
    long end = endOfTextId();
    for (int j = 0; j < row.length; j++) {
      if (row[j] == end) return j;
    }
    throw new IllegalArgumentException("token row has no end-of-text token " + end);
  }

  private static int indexOf(long[] in, long[] part) {
    for (int i = 0; i + part.length <= in.length; i++) {
      if (Arrays.equals(in, i, i + part.length, part, 0, part.length)) return i;
    }
    return -1;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
