package io.bv2j.tensor;

import io.bv2j.Bv2jException;
import io.bv2j.nativelib.CudaLibrary;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeviceTest {

    @Test
    void parsesTheNamesTheCliTakes() {
        assertSame(Device.CPU, Device.parse("cpu"));
        assertEquals(new Device(Device.Kind.CUDA, 0), Device.parse("CUDA"));
        assertEquals(new Device(Device.Kind.CUDA, 3), Device.parse("cuda:3"));
        assertEquals("cuda:3", Device.parse("cuda:3").toString());
        for (String bad : new String[]{"", "gpu", "cuda:", "cuda:-1", "cuda:x", "cpu:1", "cuda:123456"}) {
            Bv2jException e = assertThrows(Bv2jException.class, () -> Device.parse(bad), bad);
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void theCpuRunsEverything() {
        for (Device.Work w : Device.Work.values()) assertSame(Device.CPU, Device.CPU.require(w));
    }

    @Test
    void cudaIsRefusedInOneLineWhereItCannotRun() {
        Device cuda = Device.parse("cuda:0");
        boolean gpu = CudaLibrary.unavailableReason() == null;
        // inference is not on CUDA yet: refused with or without a GPU, naming the device
        Bv2jException e = assertThrows(Bv2jException.class, () -> cuda.require(Device.Work.INFERENCE));
        assertTrue(e.getMessage().startsWith("cuda:0"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        if (gpu) {
            assertSame(cuda, cuda.require(Device.Work.ALIGNMENT));
        } else {
            assertThrows(Bv2jException.class, () -> cuda.require(Device.Work.ALIGNMENT));
        }
    }
}
