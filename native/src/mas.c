/* Monotonic alignment search: the reference's maximum_path_jit (numba, float32 values). */
#include <string.h>
#include "bv2j_align.h"
#include "internal.h"
#include "mas_math.h"

/* One batch row: v holds neg_cent[:t_y, :t_x] with row stride max_tx and is accumulated in
 * place; path (zeroed by the caller) receives the backtracked ones. Needs 1 <= t_x <= t_y. */
static void maximum_path_one(float *v, float *path, int64_t t_y, int64_t t_x, int64_t max_tx) {
    for (int64_t y = 0; y < t_y; y++) {
        int64_t lo = t_x + y - t_y > 0 ? t_x + y - t_y : 0;
        int64_t hi = t_x < y + 1 ? t_x : y + 1;
        for (int64_t x = lo; x < hi; x++) {
            const float prev_stay = x == y ? 0.0f : v[(y - 1) * max_tx + x];
            const float prev_advance = x == 0 ? 0.0f : v[(y - 1) * max_tx + x - 1];
            v[y * max_tx + x] = bv2j_mas_cell(v[y * max_tx + x], prev_stay, prev_advance, (long) y,
                                              (long) x);
        }
    }
    /* index <= y holds throughout (index == y forces a step), so y - 1 >= 0 whenever it is read */
    int64_t index = t_x - 1;
    for (int64_t y = t_y - 1; y >= 0; y--) {
        path[y * max_tx + index] = 1.0f;
        if (index != 0 && bv2j_mas_step_back((long) index, (long) y, v[(y - 1) * max_tx + index],
                                             v[(y - 1) * max_tx + index - 1])) {
            index--;
        }
    }
}

int bv2j_maximum_path(bv2j_ctx *ctx, const float *neg_cent, const int32_t *t_ys,
                      const int32_t *t_xs, float *path, int64_t batch, int64_t max_ty,
                      int64_t max_tx) {
    BV2J_CHECK(ctx && neg_cent && t_ys && t_xs && path);
    BV2J_CHECK(batch >= 0 && max_ty >= 0 && max_tx >= 0);
    BV2J_CHECK(max_ty == 0 || max_tx <= INT64_MAX / max_ty);
    const int64_t plane = max_ty * max_tx;
    BV2J_CHECK(batch == 0 || plane <= INT64_MAX / (int64_t) sizeof(float) / batch);
    for (int64_t b = 0; b < batch; b++) {
        BV2J_CHECK(t_ys[b] >= 0 && t_ys[b] <= max_ty && t_xs[b] >= 0 && t_xs[b] <= max_tx);
        BV2J_CHECK(t_ys[b] == 0 || (t_xs[b] >= 1 && t_xs[b] <= t_ys[b]));
    }
    memset(path, 0, (size_t) (batch * plane) * sizeof(float));
    if (batch == 0 || plane == 0) return BV2J_OK;
    /* the reference accumulates into a float32 copy; ours is scratch, so neg_cent stays const */
    float *values = bv2j_scratch(ctx, (size_t) (batch * plane) * sizeof(float));
    if (values == NULL) return BV2J_ENOMEM;
    memcpy(values, neg_cent, (size_t) (batch * plane) * sizeof(float));
#pragma omp parallel for num_threads(ctx->threads) schedule(dynamic, 1)
    for (int64_t b = 0; b < batch; b++) {
        if (t_ys[b] == 0) continue;
        maximum_path_one(values + b * plane, path + b * plane, t_ys[b], t_xs[b], max_tx);
    }
    return BV2J_OK;
}
