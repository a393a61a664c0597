package io.layerproof.chain.devnet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-RPC 2.0 framing shared by the in-process Web3j service and the HTTP server: single and batch
 * requests, notifications (no id, no answer), and error objects that never carry a stack trace.
 * Unexpected failures are logged here and answered as "internal error".
 */
public final class RpcDispatcher {

  private static final Logger log = LoggerFactory.getLogger(RpcDispatcher.class);

  /** Most requests in one batch; geth's default limit. */
  public static final int MAX_BATCH = 1000;

  /** One RPC method: parameters in, JSON result out (JSON null for "nothing found"). */
  @FunctionalInterface
  interface Method {
    JsonNode call(RpcParams params);
  }

  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ObjectMapper mapper =
      new ObjectMapper()
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private final Map<String, Method> methods;

  RpcDispatcher(Map<String, Method> methods) {
    this.methods = Map.copyOf(methods);
  }

  /** Handles a request body; returns the response body, or null when nothing is to be sent. */
  public String handle(String body) {
    JsonNode request;
    try {
      request = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      return write(
          error(NullNode.instance, RpcException.PARSE_ERROR, "parse error: invalid JSON", null));
    }
    if (request == null || request.isMissingNode()) {
      return write(
          error(NullNode.instance, RpcException.PARSE_ERROR, "parse error: empty request", null));
    }
    JsonNode response = handle(request);
    return response == null ? null : write(response);
  }

  /** Handles a parsed request; null when it held only notifications. */
  public JsonNode handle(JsonNode request) {
    if (!request.isArray()) {
      return single(request);
    }
    if (request.isEmpty()) {
      return error(NullNode.instance, RpcException.INVALID_REQUEST, "empty batch", null);
    }
    if (request.size() > MAX_BATCH) {
      return error(
          NullNode.instance,
          RpcException.INVALID_REQUEST,
          "batch too large: " + request.size() + " requests, limit " + MAX_BATCH,
          null);
    }
    ArrayNode out = NODES.arrayNode();
    for (JsonNode r : request) {
      JsonNode answer = single(r);
      if (answer != null) {
        out.add(answer);
      }
    }
    return out.isEmpty() ? null : out;
  }

  private JsonNode single(JsonNode r) {
    if (!r.isObject()) {
      return error(
          NullNode.instance,
          RpcException.INVALID_REQUEST,
          "invalid request: expected a JSON object",
          null);
    }
    JsonNode id = r.get("id");
    if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
      return error(
          NullNode.instance,
          RpcException.INVALID_REQUEST,
          "invalid request: id must be a string, number or null",
          null);
    }
    JsonNode answerId = id == null ? NullNode.instance : id;
    JsonNode version = r.get("jsonrpc");
    if (version != null && !(version.isTextual() && version.asText().equals("2.0"))) {
      return error(
          answerId, RpcException.INVALID_REQUEST, "invalid request: jsonrpc must be \"2.0\"", null);
    }
    JsonNode method = r.get("method");
    if (method == null || !method.isTextual()) {
      return error(answerId, RpcException.INVALID_REQUEST, "invalid request: missing method", null);
    }
    boolean notification = id == null;
    String name = method.asText();
    JsonNode params = r.get("params");
    JsonNode answer;
    if (params != null && !params.isNull() && !params.isArray()) {
      answer =
          error(
              answerId,
              RpcException.INVALID_PARAMS,
              "invalid params: expected an array of positional parameters",
              null);
    } else {
      answer =
          invoke(
              answerId,
              name,
              params == null || params.isNull() ? NODES.arrayNode() : (ArrayNode) params);
    }
    return notification ? null : answer;
  }

  private JsonNode invoke(JsonNode id, String name, ArrayNode params) {
    Method m = methods.get(name);
    if (m == null) {
      return error(
          id,
          RpcException.METHOD_NOT_FOUND,
          "the method " + Hex.brief(name) + " does not exist/is not available",
          null);
    }
    try {
      JsonNode result = m.call(new RpcParams(params));
      ObjectNode ok = NODES.objectNode();
      ok.put("jsonrpc", "2.0");
      ok.set("id", id);
      ok.set("result", result == null ? NullNode.instance : result);
      return ok;
    } catch (RpcException e) {
      return error(id, e.code(), e.getMessage(), e.data());
    } catch (RuntimeException e) {
      log.warn("internal error in {}", name, e);
      return error(id, RpcException.INTERNAL_ERROR, "internal error", null);
    }
  }

  static ObjectNode error(JsonNode id, int code, String message, String data) {
    ObjectNode err = NODES.objectNode();
    err.put("code", code);
    err.put("message", message);
    if (data != null) {
      err.put("data", data);
    }
    ObjectNode out = NODES.objectNode();
    out.put("jsonrpc", "2.0");
    out.set("id", id);
    out.set("error", err);
    return out;
  }

  String write(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }
}
