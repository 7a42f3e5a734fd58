/*
 * Monotonic alignment search (VITS monotonic_align), kept out of bv2j.h because only training
 * uses it. Same conventions as bv2j.h: Java validates sizes first, C re-checks them.
 */
#ifndef BV2J_ALIGN_H
#define BV2J_ALIGN_H

#include <stdint.h>
#include "bv2j.h"

#ifdef __cplusplus
extern "C" {
#endif

/* path[b, y, x] (float 0/1, dense [batch, max_ty, max_tx]) = the most likely monotonic path
 * through neg_cent[b, :t_ys[b], :t_xs[b]] (same layout), exactly as the reference's
 * maximum_path_jit computes it in float32. Rows with t_ys[b] == 0 get an empty path; otherwise
 * 1 <= t_xs[b] <= t_ys[b] is required (no monotonic path exists when text is longer than
 * frames). neg_cent is not modified: the accumulated values live in context scratch. */
int bv2j_maximum_path(bv2j_ctx *ctx, const float *neg_cent, const int32_t *t_ys,
                      const int32_t *t_xs, float *path, int64_t batch, int64_t max_ty,
                      int64_t max_tx);

#ifdef __cplusplus
}
#endif
#endif
