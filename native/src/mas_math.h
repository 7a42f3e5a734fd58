/* The monotonic alignment search's per-cell steps (the reference's maximum_path_jit, float32),
 * shared by the CPU kernel (mas.c, row by row) and the CUDA one (a wavefront over the text axis):
 * both make the same float32 operations per cell, so their paths are identical. */
#ifndef BV2J_MAS_MATH_H
#define BV2J_MAS_MATH_H
#include "gate_math.h"

/* The -inf stand-in the reference uses; exactly representable in float32. */
#define BV2J_MAS_NEG (-1e9f)

/* v[y, x] after accumulation, from the cell above (prev_stay = v[y-1, x]) and above-left
 * (prev_advance = v[y-1, x-1]); the reference's max(advance, stay) keeps the first unless the
 * second is greater. */
BV2J_INLINE float bv2j_mas_cell(float value, float prev_stay, float prev_advance, long y, long x) {
    const float stay = x == y ? BV2J_MAS_NEG : prev_stay;
    const float advance = x == 0 ? (y == 0 ? 0.0f : BV2J_MAS_NEG) : prev_advance;
    return value + (stay > advance ? stay : advance);
}

/* Whether the backtrack at token index >= 1 in row y (so y >= 1) steps to index - 1 below it:
 * forced when index == y, else where the above-left value is the larger. */
BV2J_INLINE int bv2j_mas_step_back(long index, long y, float above, float above_left) {
    return index == y || above < above_left;
}

#endif
