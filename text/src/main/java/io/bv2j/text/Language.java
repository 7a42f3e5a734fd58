package io.bv2j.text;

/** The languages of the Bert-VITS2 v1.1 symbol table, named as its language ids and tone offsets are. */
public enum Language {
    ZH, JP, EN;

    /** The name used by {@code symbols.json}, filelists and request files. */
    public String code() {
        return name();
    }
}
