package io.bv2j.conformance;

import java.util.List;

/**
 * Contributes conformance cases from modules above `model` (training: alignment, gradients,
 * train_step), found with java.util.ServiceLoader so the runner needs no dependency on them.
 */
public interface CaseProvider {
    List<ConformanceCase> cases();
}
