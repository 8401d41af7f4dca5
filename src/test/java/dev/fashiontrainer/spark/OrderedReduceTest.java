package dev.fashiontrainer.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.fashiontrainer.TestSpark;

class OrderedReduceTest {
    private static final List<String> LETTERS = "abcdefghijklmnopqrstuvwxyz".chars().mapToObj(Character::toString)
            .toList();

    // Concatenation is associative but not commutative: any merge out of partition order shows.
    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 13, OrderedReduce.DIRECT, OrderedReduce.DIRECT + 1, 26})
    void mergesInPartitionOrder(int partitions) {
        String merged = OrderedReduce.reduce(TestSpark.context().parallelize(LETTERS, partitions), String::concat);
        assertEquals("abcdefghijklmnopqrstuvwxyz", merged);
    }

    @Test
    void rejectsAnEmptyRdd() {
        assertThrows(IllegalArgumentException.class,
                () -> OrderedReduce.reduce(TestSpark.context().parallelize(List.<String>of(), 7), String::concat));
    }
}
