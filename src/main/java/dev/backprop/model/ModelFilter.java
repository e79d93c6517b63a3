package dev.backprop.model;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which of a tenant's models a listing shows: those of a name, those carrying a tag, or all (a null part matches
 * every model). The owner is bound with the statement, so no listing reaches past its tenant.
 *
 * @param name the models' name, exactly
 * @param tag  a tag the models carry
 */
public record ModelFilter(String name, String tag) {

    /** Every model. */
    public static ModelFilter all() {
        return new ModelFilter(null, null);
    }

    String where() {
        return " WHERE owner = :owner" + (name == null ? "" : " AND name = :name")
                + (tag == null ? "" : " AND EXISTS (SELECT 1 FROM model_tag t WHERE t.model_id = model.id AND t.tag = :tag)");
    }

    JdbcClient.StatementSpec params(JdbcClient.StatementSpec statement, String owner) {
        JdbcClient.StatementSpec bound = name == null ? statement.param("owner", owner) : statement.param("owner", owner).param("name", name);
        return tag == null ? bound : bound.param("tag", tag);
    }
}
