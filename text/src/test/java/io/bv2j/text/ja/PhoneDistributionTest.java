package io.bv2j.text.ja;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PhoneDistributionTest {

    @Test
    void eachPhoneGoesToTheFirstTokenWithTheFewest() {
        assertArrayEquals(new int[] {5}, PhoneDistribution.distribute(5, 1));
        assertArrayEquals(new int[] {3, 2}, PhoneDistribution.distribute(5, 2));
        assertArrayEquals(new int[] {3, 2, 2}, PhoneDistribution.distribute(7, 3));
        assertArrayEquals(new int[] {2, 2, 2, 2, 1}, PhoneDistribution.distribute(9, 5));
        assertArrayEquals(new int[] {1, 1, 0, 0}, PhoneDistribution.distribute(2, 4));
        assertArrayEquals(new int[] {1, 0, 0}, PhoneDistribution.distribute(1, 3));
    }

    @Test
    void noPhonesLeaveEveryTokenEmpty() {
        assertArrayEquals(new int[] {0, 0}, PhoneDistribution.distribute(0, 2));
        assertArrayEquals(new int[] {}, PhoneDistribution.distribute(0, 0));
    }

    @Test
    void phonesNeedATokenToGoTo() {
        assertThrows(IllegalArgumentException.class, () -> PhoneDistribution.distribute(3, 0));
        assertThrows(IllegalArgumentException.class, () -> PhoneDistribution.distribute(-1, 2));
    }
}
