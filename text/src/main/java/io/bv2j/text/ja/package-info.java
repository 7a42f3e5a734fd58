/**
 * The Japanese front-end of Bert-VITS2 1.1.1 ({@code text/japanese.py} of that release, the
 * MeCab + unidic-lite version that came before pyopenjtalk): {@link io.bv2j.text.ja.JapaneseG2p}.
 *
 * <h2>Pipeline</h2>
 * <ol>
 * <li>{@code JapaneseNormalizer}: NFKC, numbers to kanji numerals ({@code KanjiNumber}, matching
 *     num2words {@code lang="ja"}), the punctuation map, and the filter that keeps only kana,
 *     CJK ideographs and {@code ! ? … , . ' -}.</li>
 * <li>{@code WordReadings}: the BERT tokenizer's words (it applies NFKC once more, then MeCab) and
 *     each word's katakana reading.</li>
 * <li>The {@code SubwordSplitter} cuts each word into WordPiece tokens; word2ph gets one entry
 *     per token.</li>
 * <li>{@code KanaPhonemes}: the reference's rule table ({@code kana-phonemes.tsv}), longest match.</li>
 * <li>{@code PhoneDistribution}: a word's phones spread over its tokens ({@code distribute_phone}).</li>
 * </ol>
 *
 * <h2>kuromoji-unidic in place of MeCab + unidic-lite</h2>
 * Both carry the same dictionary, UniDic 2.1.2 as released for MeCab (lexicon, connection costs,
 * character classes, unknown-word rules), and kuromoji searches the lattice as MeCab does, so for
 * ordinary text the words and their readings are the same. What to know:
 * <ul>
 * <li><b>The reading.</b> The reference takes the second column of MeCab's default UniDic output,
 *     which that dictionary's {@code dicrc} fills with {@code %f[9]}, the pronunciation form
 *     (発音形出現形). kuromoji-unidic's {@code Token.getPronunciation()} is that field (column 13 of
 *     the dictionary CSV). It is the word as spoken: は (particle) ワ, へ エ, こんにちは コンニチワ,
 *     and long vowels as ー (東京 トーキョー). The other kana fields would be wrong here: the lemma
 *     reading ({@code getLemmaReadingForm}) is the dictionary form's (行こう gives イク, 東京
 *     トウキョウ).</li>
 * <li><b>Words not in the dictionary.</b> MeCab's unknown-word format prints the surface in that
 *     column; kuromoji gives {@code *}, so the surface is used. A kanji unknown to the dictionary
 *     thus has no kana reading and is refused, as the reference fails its assertion on it.</li>
 * <li><b>Symbols.</b> Both leave the pronunciation of a symbol empty; the reference then uses the
 *     symbol itself (っ as ッ, brackets and quotes dropped).</li>
 * <li><b>Where segmentation can differ.</b> kuromoji's unknown-word grouping is its own
 *     implementation of the same rules, so runs of symbols may be cut differently (kuromoji makes
 *     {@code ...!?,.'-} one word). Each symbol reads as itself either way, so the phones are the
 *     same, but how a run's phones are shared among tokens can change. MeCab never makes a word of
 *     white space; kuromoji does, and those tokens are skipped (normalised text has none).</li>
 * </ul>
 *
 * <h2>Other differences from the reference</h2>
 * <ul>
 * <li>The reference runs MeCab again on each BERT word by itself to read it; here the reading is
 *     the one the word got in the sentence. They differ only if a word alone parses differently.</li>
 * <li>When WordPiece turns a word into {@code [UNK]}, the reference tries to read the string
 *     "[UNK]" and fails; here the word is read from its own text.</li>
 * <li>A text with nothing but punctuation is refused ({@link io.bv2j.Bv2jException}); the reference
 *     would voice just the marks.</li>
 * <li>Whole numbers past 28 digits: num2words computes in Python's default 28-digit decimal context
 *     and loses digits there; here they are read exactly (up to its limit of 51 digits).</li>
 * </ul>
 *
 * <h2>1.1.1's own quirks, kept on purpose</h2>
 * Models trained by 1.1.1 learnt from these, so they are reproduced: the long-vowel mark ー gives
 * no phone (トーキョー reads t o ky o); {@code …} reaches the tokenizer as three full stops and is
 * read as three {@code .} phones; brackets and quotes are deleted rather than mapped to {@code '};
 * 々 and Latin letters are deleted; in a reading, a small ャ/ュ/ョ that no two-kana rule takes
 * (there is none for ブャ) stays as it is and is refused.
 */
package io.bv2j.text.ja;
