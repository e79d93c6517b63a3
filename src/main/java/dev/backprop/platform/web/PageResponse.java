package dev.backprop.platform.web;

import java.util.List;

/**
 * One page of a listing.
 *
 * @param items the page's items
 * @param page  the page number, from 0
 * @param size  the page size asked for
 * @param total items across all pages
 */
public record PageResponse<T>(List<T> items, int page, int size, long total) {
}
