package carillon.bot.web;

import static org.assertj.core.api.Assertions.assertThat;

import carillon.bot.web.WebHarness.Response;
import carillon.bot.web.http.Pages;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OpenAPI document served at /api/openapi.json describes exactly the routes the server has. */
class OpenApiTest {
  static final Set<String> METHODS = Set.of("get", "post", "put", "patch", "delete");

  @TempDir Path dir;
  WebHarness w;
  JsonNode doc;

  @BeforeEach
  void setUp() throws Exception {
    w = new WebHarness(dir, Instant.parse("2026-03-27T00:00:00Z"), 1_000_000);
    w.owner("alice");
    Response response = w.login("alice").get("/api/openapi.json");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.contentType()).startsWith("application/json");
    doc = response.json();
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  List<String> documented() {
    List<String> operations = new ArrayList<>();
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      if (METHODS.contains(op.getKey())) {
        operations.add(op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey());
      }
    }));
    return operations;
  }

  @Test
  void everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() {
    assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
    List<String> api = w.web.routes().stream().filter(r -> !Pages.isPage(r.substring(r.indexOf(' ') + 1))).toList();
    assertThat(api).hasSizeGreaterThan(25);
    assertThat(documented()).containsExactlyInAnyOrderElementsOf(api);
  }

  @Test
  void everyOperationDescribesItsErrorsAsProblemsAndItsPathParameters() {
    Set<String> open = Set.of("GET /health", "GET /health/live", "GET /health/ready", "GET /setup", "POST /api/login", "POST /api/setup",
        "GET /calendar/{file}");
    doc.get("paths").properties().forEach(path -> path.getValue().properties().forEach(op -> {
      String name = op.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey();
      JsonNode responses = op.getValue().get("responses");
      assertThat(responses).as(name).isNotNull();
      assertThat(op.getValue().get("summary")).as(name + " summary").isNotNull();
      responses.properties().forEach(r -> {
        if (r.getKey().startsWith("4") || r.getKey().startsWith("5")) {
          assertThat(r.getValue().get("$ref").asText()).as(name + " " + r.getKey())
              .isIn("#/components/responses/Problem", "#/components/responses/RateLimited",
                  "#/components/responses/NotReady");
        }
      });
      if (!open.contains(name)) {
        assertThat(responses.has("401")).as(name + " answers 401").isTrue();
        assertThat(op.getValue().has("security")).as(name + " is not marked open").isFalse();
      } else {
        assertThat(op.getValue().get("security")).as(name + " is open").isEmpty();
      }
      Matcher param = Pattern.compile("\\{([a-z]+)}").matcher(path.getKey());
      while (param.find()) {
        String wanted = param.group(1);
        boolean declared = false;
        for (JsonNode p : op.getValue().path("parameters")) {
          JsonNode resolved = p.has("$ref") ? resolve(p.get("$ref").asText()) : p;
          declared |= resolved.get("name").asText().equals(wanted) && resolved.get("in").asText().equals("path");
        }
        assertThat(declared).as(name + " declares {" + wanted + "}").isTrue();
      }
    }));
  }

  @Test
  void everyReferenceResolves() {
    Set<String> refs = new HashSet<>();
    collect(doc, refs);
    assertThat(refs).hasSizeGreaterThan(20);
    refs.forEach(ref -> assertThat(resolve(ref)).as(ref).isNotNull());
  }

  private void collect(JsonNode node, Set<String> refs) {
    if (node.isObject()) {
      node.properties().forEach(e -> {
        if (e.getKey().equals("$ref")) {
          refs.add(e.getValue().asText());
        } else {
          collect(e.getValue(), refs);
        }
      });
    } else if (node.isArray()) {
      node.forEach(n -> collect(n, refs));
    }
  }

  private JsonNode resolve(String ref) {
    assertThat(ref).startsWith("#/");
    JsonNode node = doc.at(ref.substring(1));
    return node.isMissingNode() ? null : node;
  }
}
