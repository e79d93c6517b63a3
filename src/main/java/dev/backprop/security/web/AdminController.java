package dev.backprop.security.web;

import dev.backprop.platform.ApiException;
import dev.backprop.security.ApiKeys;
import dev.backprop.security.Quota;
import dev.backprop.security.Quotas;
import dev.backprop.security.Role;
import dev.backprop.security.Tenant;
import dev.backprop.security.Tenants;
import dev.backprop.platform.web.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Tenants and API keys, for admin keys only. */
@RestController
@RequestMapping(path = "/admin", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "Admin", description = "Tenants with their quotas and usage, and API keys (admin keys only)")
class AdminController {

    private final Tenants tenants;
    private final ApiKeys keys;
    private final Quotas quotas;

    AdminController(Tenants tenants, ApiKeys keys, Quotas quotas) {
        this.tenants = tenants;
        this.keys = keys;
        this.quotas = quotas;
    }

    @PostMapping(path = "/tenants", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createTenant", summary = "Make a tenant, optionally with quotas of its own")
    ResponseEntity<TenantResponse> createTenant(@RequestBody TenantRequest request) {
        Map<Quota, Long> own = new EnumMap<>(Quota.class);
        (request.quotas() == null ? Map.<String, Long>of() : request.quotas()).forEach((name, limit) -> {
            Quota quota = Arrays.stream(Quota.values()).filter(q -> q.wireName().equals(name)).findFirst()
                    .orElseThrow(() -> ApiException.invalid("quotas." + name, "unknown quota; expected one of "
                            + Arrays.stream(Quota.values()).map(Quota::wireName).toList()));
            if (limit == null) {
                throw ApiException.invalid("quotas." + name, "must be a number");
            }
            own.put(quota, limit);
        });
        Tenant tenant = tenants.create(request.id(), request.name(), own);
        return ResponseEntity.created(URI.create("/admin/tenants/" + tenant.id())).body(TenantResponse.of(tenant, quotas.report(tenant.id())));
    }

    @GetMapping("/tenants")
    @Operation(operationId = "listTenants", summary = "Every tenant with its quotas and usage")
    List<TenantResponse> tenants() {
        return tenants.list().stream().map(t -> TenantResponse.of(t, quotas.report(t.id()))).toList();
    }

    @GetMapping("/tenants/{tenant}")
    @Operation(operationId = "getTenant", summary = "A tenant with its quotas and usage")
    TenantResponse tenant(@PathVariable String tenant) {
        return TenantResponse.of(tenants.get(tenant), quotas.report(tenant));
    }

    @PostMapping(path = "/keys", consumes = MediaType.APPLICATION_JSON_VALUE)
    @Operation(operationId = "createKey", summary = "Make an API key; the answer carries the key, which is never shown again")
    ResponseEntity<KeyResponse> createKey(@RequestBody KeyRequest request) {
        if (request.tenant() == null || request.tenant().isBlank()) {
            throw ApiException.invalid("tenant", "is required");
        }
        if (request.name() == null || request.name().isBlank() || request.name().length() > 200) {
            throw ApiException.invalid("name", "is required, at most 200 characters");
        }
        Role role = request.role() == null ? Role.MEMBER : Role.ofWireName(request.role());
        if (role == null) {
            throw ApiException.invalid("role", "unknown role '" + request.role() + "'; expected one of "
                    + Arrays.stream(Role.values()).map(Role::wireName).toList());
        }
        ApiKeys.CreatedKey created = keys.create(request.tenant(), request.name(), role);
        return ResponseEntity.created(URI.create("/admin/keys/" + created.key().id()))
                .body(KeyResponse.created(created.key(), created.text()));
    }

    @GetMapping("/keys")
    @Operation(operationId = "listKeys", summary = "Keys, optionally of one tenant, with their last use; never their text")
    List<KeyResponse> keys(@RequestParam(required = false) String tenant) {
        return keys.list(tenant).stream().map(KeyResponse::of).toList();
    }

    @DeleteMapping("/keys/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeKey", summary = "Revoke a key: from now on it is a 401")
    @ApiResponse(responseCode = "204", description = "Revoked")
    @ApiResponse(responseCode = "404", description = "No such key", content = @Content(
            mediaType = MediaType.APPLICATION_PROBLEM_JSON_VALUE, schema = @Schema(implementation = ProblemResponse.class)))
    void revoke(@PathVariable String id) {
        keys.revoke(id);
    }
}
