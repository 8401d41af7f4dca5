package dev.fashiontrainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Each setting is declared once; what is derived from the declaration parses strictly and round-trips. */
class DeclaredSettingTest {
    @Test
    void everySettingHasADefaultInConfThatRoundTripsThroughItsSpelling() {
        for (String recipe : Defaults.RECIPES) {
            Defaults defaults = Defaults.load(recipe);
            TrainingConfig config = TrainingConfig.defaults(recipe).build();
            for (DeclaredSetting setting : DeclaredSetting.ALL) {
                Object value = setting.valueIn(config);
                assertEquals(value, setting.parse(setting.format(value)), setting.flag());
                assertEquals(setting.parse(defaults.get(setting.key())), value, setting.flag() + " in " + recipe);
            }
        }
    }

    @Test
    void flagsKeysAndParamNamesComeFromTheComponentsNames() {
        DeclaredSetting setting = DeclaredSetting.named("blockMomentumKind");
        assertEquals("--block-momentum-kind", setting.flag());
        assertEquals("block-momentum-kind", setting.key());
        assertThrows(IllegalArgumentException.class, () -> DeclaredSetting.named("epoch"));
    }

    @Test
    void valuesAreParsedStrictlyWithOneLineSayingWhatWasExpected() {
        ConfigException typo = assertThrows(ConfigException.class, () -> DeclaredSetting.named("shuffle").parse("ture"));
        assertEquals("--shuffle must be true or false, found 'ture'", typo.getMessage());
        ConfigException number = assertThrows(ConfigException.class,
                () -> DeclaredSetting.named("epochs").parse("10x"));
        assertEquals("--epochs must be a whole number at least 1, found '10x'", number.getMessage());
        ConfigException sentinel = assertThrows(ConfigException.class,
                () -> DeclaredSetting.named("averagingFrequency").parse("-1"));
        assertTrue(sentinel.getMessage().endsWith("or auto or half-workers, found '-1'"), sentinel.getMessage());
        assertEquals(-1, DeclaredSetting.named("averagingFrequency").parse("auto"));
        assertEquals(-2, DeclaredSetting.named("averagingFrequency").parse("half-workers"));
        assertEquals("half-workers", DeclaredSetting.named("averagingFrequency").format(-2));
        assertThrows(ConfigException.class, () -> DeclaredSetting.named("averagingFrequency").parse("-2"));
        assertEquals(List.of(), DeclaredSetting.named("hiddenLayers").parse("none"));
        assertEquals(List.of(784, 512, 10), DeclaredSetting.named("layers").parse("784, 512,10"));
        assertEquals(HiddenActivation.TANH, DeclaredSetting.named("activation").parse("tanh"));
    }

    @Test
    void autoBlockMomentumStaysAutoInACopyWithOtherWorkers() {
        TrainingConfig two = TrainingConfig.defaults("fast").with("workers", 2).build();
        assertEquals(0.5, two.effectiveBlockMomentum(), 0);
        assertEquals(0.875, two.toBuilder().with("workers", 8).build().effectiveBlockMomentum(), 0);
    }
}
