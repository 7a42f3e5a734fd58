package io.bv2j.cli;

import io.bv2j.tensor.Device;
import picocli.CommandLine.Option;

/** --device cpu|cuda[:N], shared by the commands that run the network (a picocli mixin). */
final class DeviceOption {
    @Option(names = "--device", paramLabel = "cpu|cuda[:N]", defaultValue = "cpu",
            description = "where to run (default ${DEFAULT-VALUE}); see the README for what runs on CUDA today")
    String device;

    Device device() {
        return Device.parse(device);
    }
}
