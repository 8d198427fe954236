package dev.tessera.polyhedral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BudgetTest {
    @Test
    void anOutermostRunHasItsOwnLimit() {
        assertThat(Budget.run(10, () -> {
            Budget.tick(10);
            return "done";
        })).isEqualTo("done");
        assertThatThrownBy(() -> Budget.run(10, () -> {
            Budget.tick(11);
            return "never";
        })).isInstanceOf(BudgetExceededException.class);
    }

    @Test
    void aNestedRunIsChargedToTheEnclosingBudget() {
        // 6 + 3 inside + 2 = 11 > 10: the enclosing run must fail on its last tick
        assertThatThrownBy(() -> Budget.run(10, () -> {
            Budget.tick(6);
            Budget.run(1_000, () -> {
                Budget.tick(3);
                return null;
            });
            Budget.tick(2);
            return "never";
        })).isInstanceOf(BudgetExceededException.class);
        // 6 + 3 + 1 = 10 fits
        assertThat(Budget.run(10, () -> {
            Budget.tick(6);
            Budget.run(1_000, () -> {
                Budget.tick(3);
                return null;
            });
            Budget.tick(1);
            return "done";
        })).isEqualTo("done");
    }

    @Test
    void aNestedRunIsCappedByWhatTheEnclosingBudgetHasLeft() {
        String inner = Budget.run(100, () -> {
            Budget.tick(95);
            try {
                return Budget.run(50, () -> {
                    Budget.tick(6); // within its own 50, beyond the 5 the outer run has left
                    return "inner finished";
                });
            } catch (BudgetExceededException e) {
                return "inner stopped";
            }
        });
        assertThat(inner).isEqualTo("inner stopped");
    }

    @Test
    void anInnerFailureCaughtByTheCallerStillCountsForTheCaller() {
        assertThatThrownBy(() -> Budget.run(100, () -> {
            try {
                Budget.run(1_000, () -> {
                    Budget.tick(150);
                    return null;
                });
            } catch (BudgetExceededException e) {
                // the caller tolerates an undecided inner question ...
            }
            Budget.tick(1); // ... but its own budget is spent
            return "never";
        })).isInstanceOf(BudgetExceededException.class);
    }
}
