package io.clusterchecks.server.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;

class BearerTokenAuthTest {
  private static final String TOKEN = "x".repeat(32);
  private final BearerTokenAuth auth = new BearerTokenAuth(TOKEN);

  @Test
  void acceptsTheToken() {
    assertThatCode(() -> auth.check("Bearer " + TOKEN)).doesNotThrowAnyException();
  }

  @Test
  void missingHeaderIsA401WithAChallenge() {
    for (String header : new String[] {null, ""}) {
      assertThatThrownBy(() -> auth.check(header))
          .asInstanceOf(InstanceOfAssertFactories.type(ApiException.class))
          .satisfies(e -> {
            org.assertj.core.api.Assertions.assertThat(e.status()).isEqualTo(401);
            org.assertj.core.api.Assertions.assertThat(e.challenge()).isTrue();
            org.assertj.core.api.Assertions.assertThat(e.getMessage())
                .isEqualTo("no session token provided");
          });
    }
  }

  @Test
  void onlyAWellKnownSchemeNameIsEchoed() {
    assertThatThrownBy(() -> auth.check("Evil\u0007\u00e9 abc"))
        .hasMessage("unsupported authorization scheme");
    assertThatThrownBy(() -> auth.check("NEGOTIATE abc"))
        .hasMessage("unsupported authorization scheme: NEGOTIATE");
  }

  @Test
  void theTokenNeverAppearsInAnError() {
    assertThatThrownBy(() -> auth.check("Bearer " + TOKEN + " " + TOKEN))
        .hasMessage("invalid session token");
    assertThatThrownBy(() -> auth.check("Token " + TOKEN))
        .hasMessage("unsupported authorization scheme");
    // No scheme, or a tab after it: what precedes the first space is the token itself.
    assertThatThrownBy(() -> auth.check(TOKEN)).hasMessage("unsupported authorization scheme");
    assertThatThrownBy(() -> auth.check("Bearer\t" + TOKEN)).hasMessage("unsupported authorization scheme");
  }

  @Test
  void shortTokensAreRefusedAtConstruction() {
    assertThatThrownBy(() -> new BearerTokenAuth("x".repeat(31)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("xxx");
    assertThatThrownBy(() -> new BearerTokenAuth((String) null)).isInstanceOf(IllegalArgumentException.class);
  }
}
