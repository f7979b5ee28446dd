package io.skelstream.encoder;

import static io.skelstream.encoder.ModelDescriptionTest.assertContains;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each broken model made by make_test_models.py is refused with a message naming the model and the broken rule. */
class ModelContractTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "contract-2            | skelstream.contract is '2', a contract this encoder does not know (it knows 1)",
        "no-contract           | metadata has no skelstream.contract: not a SkelStream export",
        "missing-metadata      | metadata lacks skelstream.fps, skelstream.labels (contract 1 requires",
        "wrong-input-name      | inputs are [pose]; contract 1 expects exactly one input 'joints'",
        "wrong-input-type      | input 'joints' has element type double; contract 1 expects float32",
        "wrong-rank            | input 'joints' has rank 4 [?, 4, 6, 3]; contract 1 expects rank 5 [batch, T, M, V, 3]",
        "t-mismatch            | input 'joints' has T = 4 but skelstream.frames = 8",
        "dynamic-t             | input 'joints' dimension 1 (T) is dynamic; contract 1 fixes T = 4 from "
            + "skelstream.frames",
        "fixed-batch           | input 'joints' has a fixed batch of 1; contract 1 requires a dynamic batch",
        "label-count-mismatch  | skelstream.labels has 4 names but output 'logits' has K = 3",
        "malformed-labels      | skelstream.labels is not valid JSON",
        "wrong-output-names    | contract 1 expects 'logits' [batch, K] and 'embedding' [batch, D]",
    })
    void shouldRefuseAModelThatBreaksTheContract(String model, String expectedMessage) {
        ModelContractException error = assertThrows(ModelContractException.class,
                () -> ActionEncoder.open(ModelSource.ofClasspath("models/" + model + ".onnx"), TinyModel.cpu()));

        assertContains(error.getMessage(), "model '" + model + "' (classpath:models/" + model + ".onnx): ");
        assertContains(error.getMessage(), expectedMessage);
    }

    @Test
    void shouldRefuseAFileOnnxRuntimeCannotParse() {
        ModelContractException error = assertThrows(ModelContractException.class,
                () -> ActionEncoder.open(ModelSource.ofClasspath("not-a-model.onnx"), TinyModel.cpu()));

        assertContains(error.getMessage(), "classpath:not-a-model.onnx cannot be loaded by ONNX Runtime");
    }
}
