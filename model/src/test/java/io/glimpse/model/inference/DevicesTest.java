package io.glimpse.model.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

class DevicesTest {

  private static final IntSupplier NO_GPU = () -> 0;
  private static final IntSupplier TWO_GPUS = () -> 2;

  @Test
  void autoPicksTheFirstGpuWhenThereIsOne() {
    assertThat(parse("auto", NO_GPU)).isEqualTo(Device.cpu());
    assertThat(parse(" AUTO ", TWO_GPUS)).isEqualTo(Device.gpu(0));
  }

  @Test
  void parsesCpuAndGpus() {
    assertThat(parse("cpu", TWO_GPUS)).isEqualTo(Device.cpu());
    assertThat(parse("gpu", TWO_GPUS)).isEqualTo(Device.gpu(0));
    assertThat(parse("GPU:1", TWO_GPUS)).isEqualTo(Device.gpu(1));
  }

  @Test
  void explainsHowToGetCudaWhenNoGpuIsSeen() {
    assertThatThrownBy(() -> parse("gpu", NO_GPU))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("device \"gpu\" needs GPU 0 but DJL sees 0 GPU(s) (what DJL sees)")
        .hasMessageContaining("PYTORCH_LIBRARY_PATH")
        .hasMessageContaining("PYTORCH_VERSION=2.7.1");
    assertThatThrownBy(() -> parse("gpu:2", TWO_GPUS))
        .hasMessageContaining("needs GPU 2 but DJL sees 2 GPU(s)")
        .hasMessageContaining("use gpu:0 to gpu:1, or auto");
  }

  @Test
  void refusesMalformedSettings() {
    for (String spec : new String[] {"tpu", "gpu:", "gpu:-1", "cpu:0", "", "gpu:x"}) {
      assertThatThrownBy(() -> parse(spec, TWO_GPUS))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("device must be auto, cpu, gpu or gpu:N")
          .hasMessageContaining("got \"" + spec + "\"");
    }
    assertThatThrownBy(() -> Devices.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void asksThePyTorchEngineForAuto() {
    Device device = Devices.parse("auto");
    assertThat(device).isIn(Device.cpu(), Device.gpu(0));
    if (device.equals(Device.cpu())) {
      assertThatThrownBy(() -> Devices.parse("gpu"))
          .hasMessageContaining("libtorch")
          .hasMessageContaining("PyTorch engine");
    }
  }

  private static Device parse(String spec, IntSupplier gpuCount) {
    return Devices.parse(spec, gpuCount, () -> "what DJL sees");
  }
}
