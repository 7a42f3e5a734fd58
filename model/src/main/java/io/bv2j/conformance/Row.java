package io.bv2j.conformance;

/**
 * One compared tensor: relative L2 error ||ours - ref|| / ||ref|| (absolute L2 when the reference
 * is all zeros), max absolute error, and the tolerance it must meet. Integer tensors must match
 * exactly (tolerance 0 on max abs). A row with a message reports a case that could not run.
 */
public record Row(String caseId, String tensor, double relL2, double maxAbs, double tolerance, boolean integer,
                  String message) {
    public boolean pass() {
        if (message != null) return false;
        if (Double.isNaN(relL2) || Double.isNaN(maxAbs)) return false;
        return integer ? maxAbs == 0 : relL2 <= tolerance;
    }

    public static Row failure(String caseId, String tensor, String message) {
        return new Row(caseId, tensor, Double.NaN, Double.NaN, 0, false, message);
    }
}
