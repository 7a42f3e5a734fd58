package io.bv2j.training.conformance;

import io.bv2j.conformance.CaseProvider;
import io.bv2j.conformance.ConformanceCase;

import java.util.List;


/** The conformance cases that need the align/training modules (found by ServiceLoader). */
public final class TrainingCases implements CaseProvider {
    @Override
    public List<ConformanceCase> cases() {
        return List.of(new AlignmentCase(), new TrainStepCase());
    }
}
