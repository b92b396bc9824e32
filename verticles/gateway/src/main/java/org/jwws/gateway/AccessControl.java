package org.jwws.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import org.jwws.shared.internal.Glob;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Access control: the origin policy ({@code allowedOrigins}, else the same origin), the
 * authentication at the upgrade, and the role rules, from the gateway's {@code access} config:
 * <pre>{@code
 * "access": {
 *   "hs256Secret": "<shared secret>",                            // and/or
 *   "publicKeys": [{"algorithm": "RS256", "pem": "-----BEGIN PUBLIC KEY-----..."}],
 *   "jwks": [{"kty": "RSA", ...}],
 *   "issuer": "https://id.example.com",                          // the token's iss must be this
 *   "audience": ["jw-gateway"],                                    // its aud must hold one of these
 *   "jwt": {"jwtOptions": {"leeway": 5}},                          // more vertx-auth-jwt options
 *   "rolesClaim": "roles",
 *   "rules": [ {"roles": ["user"], "commands": ["echo"], "subscribe": ["news.*"], "publish": []} ]
 * }
 * }</pre>
 * With no key configured every connection is anonymous (role {@code anonymous}); without
 * {@code rules} everything is permitted.
 */
final class AccessControl {

  static final String DEFAULT_ROLES_CLAIM = "roles";
  static final String TOKEN_PARAM = "token";

  private final JWTAuth jwt;
  private final String rolesClaim;
  private final List<AccessRule> rules;
  private final List<Glob> allowedOrigins;
  /** The gateway's listen host: a Host header naming it cannot be a rebound name. */
  private final String host;

  private AccessControl(JWTAuth jwt, String rolesClaim, List<AccessRule> rules, List<Glob> allowedOrigins, String host) {
    this.jwt = jwt;
    this.rolesClaim = rolesClaim;
    this.rules = rules;
    this.allowedOrigins = allowedOrigins;
    this.host = host;
  }

  /**
   * @param config the {@code access} options
   * @param allowedOrigins the {@code allowedOrigins} globs
   * @param host the gateway's listen host
   */
  static AccessControl create(Vertx vertx, JsonObject config, List<String> allowedOrigins, String host) {
    JWTAuthOptions jwtOptions = new JWTAuthOptions(config.getJsonObject("jwt", new JsonObject()));
    requireIssuerAndAudience(config, jwtOptions.getJWTOptions());
    String secret = config.getString("hs256Secret");
    if (secret != null) {
      if (secret.length() < 32) {
        throw new IllegalArgumentException("access.hs256Secret needs at least 32 characters");
      }
      jwtOptions.addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret));
    }
    config.getJsonArray("publicKeys", new JsonArray()).forEach(key -> jwtOptions.addPubSecKey(new PubSecKeyOptions()
      .setAlgorithm(((JsonObject) key).getString("algorithm", "RS256"))
      .setBuffer(((JsonObject) key).getString("pem"))));
    config.getJsonArray("jwks", new JsonArray()).forEach(jwk -> jwtOptions.addJwk((JsonObject) jwk));
    boolean keyed = !isEmpty(jwtOptions.getPubSecKeys()) || !isEmpty(jwtOptions.getJwks());
    JWTAuth jwt = keyed ? JWTAuth.create(vertx, jwtOptions) : null;
    JsonArray ruleConfig = config.getJsonArray("rules");
    List<AccessRule> rules = ruleConfig == null ? null
      : ruleConfig.stream().map(rule -> new AccessRule((JsonObject) rule)).collect(Collectors.toUnmodifiableList());
    return new AccessControl(jwt, config.getString("rolesClaim", DEFAULT_ROLES_CLAIM), rules,
      allowedOrigins.stream().map(Glob::of).collect(Collectors.toList()), host);
  }

  /**
   * Like Tornado's {@code check_origin}: no Origin (not a browser) is allowed, a listed origin
   * ({@code "*"}: any) is, and otherwise only the gateway's own page, where the Host it was
   * sent to cannot be a rebound name ({@link SameOrigin}). The same with or without a list.
   */
  boolean originAllowed(String origin, String hostHeader) {
    return origin == null || Glob.anyMatches(allowedOrigins, origin) || SameOrigin.check(origin, hostHeader, host);
  }

  /**
   * The principal behind an upgrade request: its bearer token ({@code Authorization} header, or
   * the {@code token} query parameter for browsers, which cannot set headers) verified.
   */
  Future<Principal> authenticate(HttpServerRequest request) {
    if (jwt == null) {
      return Future.succeededFuture(Principal.anonymous(rules));
    }
    String token = bearerToken(request);
    if (token == null) {
      return Future.failedFuture("no token");
    }
    return jwt.authenticate(new TokenCredentials(token)).map(this::principal);
  }

  private Principal principal(User user) {
    JsonObject claims = user.attributes().getJsonObject("accessToken", new JsonObject());
    Set<String> roles = new HashSet<>();
    Object claimed = claims.getValue(rolesClaim);
    if (claimed instanceof JsonArray) {
      ((JsonArray) claimed).forEach(role -> roles.add(String.valueOf(role)));
    } else if (claimed instanceof String) {
      roles.add((String) claimed);
    }
    long exp = claims.getLong("exp", 0L);
    return new Principal(claims.getString("sub"), roles, claims, exp * 1000, rules);
  }

  /**
   * {@code issuer}: the one {@code iss} accepted; {@code audience}: a name or a list, the token's
   * {@code aud} must hold one of them. A token without the claim is refused too (vertx-auth-jwt
   * checks both when set). They override {@code jwt.jwtOptions}' own.
   */
  private static void requireIssuerAndAudience(JsonObject config, JWTOptions options) {
    Object issuer = config.getValue("issuer");
    if (issuer != null) {
      if (!(issuer instanceof String)) {
        throw new IllegalArgumentException("access.issuer must be a string");
      }
      options.setIssuer((String) issuer);
    }
    Object audience = config.getValue("audience");
    if (audience instanceof String) {
      options.setAudience(List.of((String) audience));
    } else if (audience instanceof JsonArray && ((JsonArray) audience).stream().allMatch(String.class::isInstance)) {
      options.setAudience(((JsonArray) audience).stream().map(String.class::cast).collect(Collectors.toList()));
    } else if (audience != null) {
      throw new IllegalArgumentException("access.audience must be a string or a list of strings");
    }
  }

  private static boolean isEmpty(List<?> list) {
    return list == null || list.isEmpty();
  }

  private static String bearerToken(HttpServerRequest request) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return request.getParam(TOKEN_PARAM);
  }
}
