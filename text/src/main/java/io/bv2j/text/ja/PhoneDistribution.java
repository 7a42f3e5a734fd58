package io.bv2j.text.ja;

/**
 * How a word's phones are shared among its BERT tokens (the reference's {@code distribute_phone}):
 * each phone in turn goes to the token that has the fewest so far, the first such token on ties.
 * So 5 phones over 2 tokens are 3 + 2, and 1 phone over 3 tokens is 1 + 0 + 0.
 */
final class PhoneDistribution {

    private PhoneDistribution() {
    }

    /** Phones per token; {@code tokens} must be positive unless there are no phones to place. */
    static int[] distribute(int phones, int tokens) {
        if (phones < 0 || tokens < 0 || (tokens == 0 && phones > 0)) {
            throw new IllegalArgumentException(phones + " phones cannot be spread over " + tokens + " tokens");
        }
        int[] perToken = new int[tokens];
        for (int p = 0; p < phones; p++) {
            int fewest = 0;
            for (int t = 1; t < tokens; t++) {
                if (perToken[t] < perToken[fewest]) {
                    fewest = t;
                }
            }
            perToken[fewest]++;
        }
        return perToken;
    }
}
