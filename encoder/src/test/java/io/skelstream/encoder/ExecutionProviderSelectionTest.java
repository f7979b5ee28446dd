package io.skelstream.encoder;

import static io.skelstream.encoder.ModelDescriptionTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CUDA works only with the GPU jar (-Pgpu) on a host with an NVIDIA GPU. Anywhere else, {@code cuda} must fail
 * clearly and {@code auto} must fall back to the CPU; on such a host, both must run on CUDA.
 */
class ExecutionProviderSelectionTest {

    private static boolean gpuJar() {
        return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    }

    private static boolean cudaUsable() {
        return gpuJar() && Files.exists(Path.of("/dev/nvidiactl"));
    }

    @Test
    void shouldFailClearlyWhenCudaIsRequestedButUnusable() {
        EncoderOptions cuda = EncoderOptions.builder().provider(ExecutionProvider.CUDA).cudaDevice(0).build();
        if (cudaUsable()) {
            try (ActionEncoder encoder = ActionEncoder.open(TinyModel.valid(), cuda)) {
                assertEquals(ExecutionProvider.CUDA, encoder.provider());
            }
            return;
        }
        ExecutionProviderException error = assertThrows(ExecutionProviderException.class,
                () -> ActionEncoder.open(TinyModel.valid(), cuda));

        assertContains(error.getMessage(), "execution provider cuda was requested for model classpath:"
                + TinyModel.VALID + " but ");
        if (gpuJar()) {
            // GPU jar, no GPU: only the session creation could tell.
            assertContains(error.getMessage(), "no session could be created on CUDA device 0: ");
        } else {
            assertContains(error.getMessage(), "this ONNX Runtime build has no CUDA provider (the CPU onnxruntime "
                    + "jar): build with -Pgpu (CUDA 12 and cuDNN 9 on the host), or use provider auto or cpu");
        }
    }

    @Test
    void shouldFallBackToTheCpuOnAuto() {
        EncoderOptions auto = EncoderOptions.builder().provider(ExecutionProvider.AUTO).intraOpThreads(1).build();
        try (ActionEncoder encoder = ActionEncoder.open(TinyModel.valid(), auto)) {
            assertEquals(cudaUsable() ? ExecutionProvider.CUDA : ExecutionProvider.CPU, encoder.provider());
            WindowBatch batch = encoder.newBatch(1);
            batch.add();
            assertEquals(1, encoder.run(batch).size());
        }
    }

    @Test
    void shouldRunOnTheCpuWhenAskedEvenWithAGpu() {
        try (ActionEncoder encoder = ActionEncoder.open(TinyModel.valid(), TinyModel.cpu())) {
            assertEquals(ExecutionProvider.CPU, encoder.provider());
        }
    }

    @Test
    void shouldParseProviderNamesFromConfiguration() {
        assertEquals(ExecutionProvider.CUDA, ExecutionProvider.parse(" Cuda "));
        assertEquals(ExecutionProvider.AUTO, ExecutionProvider.parse("auto"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> ExecutionProvider.parse("tpu"));
        assertContains(error.getMessage(), "unknown execution provider 'tpu': expected one of auto, cuda, cpu");
    }
}
