package io.bv2j.training.conformance;

/**
 * What our optimizer did to one parameter tensor in a training step, as float32 arrays: the
 * values before the step, the gradient it was given (null when backward never reached the
 * parameter), the values after, and its AdamW state afterwards (null, step 0 when it was not stepped).
 */
public record ParameterStep(String name, int[] shape, float[] before, float[] grad, float[] after, float[] expAvg,
                            float[] expAvgSq, long step) {
}
