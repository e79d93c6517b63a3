package dev.backprop.model;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which models a listing shows: those of a name, those carrying a tag, or all (a null part matches every model).
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
        if (name == null && tag == null) {
            return "";
        }
        return " WHERE " + (name == null ? "TRUE" : "name = :name")
                + (tag == null ? "" : " AND EXISTS (SELECT 1 FROM model_tag t WHERE t.model_id = model.id AND t.tag = :tag)");
    }

    JdbcClient.StatementSpec params(JdbcClient.StatementSpec statement) {
        JdbcClient.StatementSpec bound = name == null ? statement : statement.param("name", name);
        return tag == null ? bound : bound.param("tag", tag);
    }
}
