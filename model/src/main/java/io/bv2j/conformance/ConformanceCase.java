package io.bv2j.conformance;

import java.util.List;

/**
 * Reproduces one golden file. Implementations compute what the file's `out/*` (and, for
 * training cases, `grad*`, `loss/*`, `after/*`) hold and return one row per compared tensor.
 * They run inside an open Scope; exceptions become failing rows.
 */
public interface ConformanceCase {
    /** The group selected by `--cases`: infer, modules, alignment, mel, train_step. */
    String group();

    /** Path of the golden file relative to the folder, e.g. "modules/wn.safetensors". */
    String file();

    /**
     * Further files of the folder the case compares against when they are present (e.g. the
     * checkpoint written after a training step); the runner names the absent ones.
     */
    default List<String> companionFiles() {
        return List.of();
    }

    List<Row> run(GoldenContext ctx, GoldenFile golden);
}
