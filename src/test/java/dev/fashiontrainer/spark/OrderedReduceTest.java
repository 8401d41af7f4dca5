package dev.fashiontrainer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fashiontrainer.TestSpark;

class OrderedReduceTest {
    private static final List<String> LETTERS = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m");

    // Concatenation is associative but not commutative: any merge out of partition order shows.
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 6, 13})
    void mergesInPartitionOrder(int partitions) {
        String merged = OrderedReduce.reduce(TestSpark.context().parallelize(LETTERS, partitions), String::concat);
        assertEquals("abcdefghijklm", merged);
    }

    @Test
    void rejectsAnEmptyRdd() {
        assertThrows(IllegalArgumentException.class,
                () -> OrderedReduce.reduce(TestSpark.context().parallelize(List.<String>of(), 7), String::concat));
    }
}
