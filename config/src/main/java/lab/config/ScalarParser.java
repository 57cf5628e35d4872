package lab.config;

/** Turns the text of one YAML scalar into a typed value, or explains why it cannot. */
@FunctionalInterface
public interface ScalarParser<T> {

    T parse(String text) throws InvalidValueException;
}
