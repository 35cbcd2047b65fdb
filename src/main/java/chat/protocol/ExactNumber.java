package chat.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.node.NumericNode;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * A number a client sent that the standard nodes would write back differently ({@code 1E2} as
 * {@code 100.0}, {@code -0} as {@code 0}, {@code 1e309} as {@code "Infinity"}): it is written back
 * exactly as sent, so a {@code seq} is echoed and a forwarded field is relayed unchanged. Its value
 * is that of the standard node, so a float is never an integer (no id or msgid accepts it).
 */
final class ExactNumber extends NumericNode {
  private final String text;
  private final NumericNode value;

  /** {@code text}: the number as sent; {@code value}: the standard node for it. */
  ExactNumber(String text, NumericNode value) {
    this.text = text;
    this.value = value;
  }

  @Override
  public void serialize(JsonGenerator g, SerializerProvider provider) throws IOException {
    g.writeNumber(text);
  }

  @Override
  public String asText() {
    return text;
  }

  @Override
  public JsonToken asToken() {
    return value.asToken();
  }

  @Override
  public JsonParser.NumberType numberType() {
    return value.numberType();
  }

  @Override
  public boolean isIntegralNumber() {
    return value.isIntegralNumber();
  }

  @Override
  public boolean isFloatingPointNumber() {
    return value.isFloatingPointNumber();
  }

  @Override
  public Number numberValue() {
    return value.numberValue();
  }

  @Override
  public int intValue() {
    return value.intValue();
  }

  @Override
  public long longValue() {
    return value.longValue();
  }

  @Override
  public double doubleValue() {
    return value.doubleValue();
  }

  @Override
  public BigDecimal decimalValue() {
    return value.decimalValue();
  }

  @Override
  public BigInteger bigIntegerValue() {
    return value.bigIntegerValue();
  }

  @Override
  public boolean canConvertToInt() {
    return value.canConvertToInt();
  }

  @Override
  public boolean canConvertToLong() {
    return value.canConvertToLong();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExactNumber other && text.equals(other.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }
}
