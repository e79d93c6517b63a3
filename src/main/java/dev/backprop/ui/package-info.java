/**
 * The browser dashboard: the routes of its pages; the pages themselves are static files under static/ui that talk to
 * the public REST API only. Imports no other package of ours: nothing here may reach past the API the pages use.
 */
package dev.backprop.ui;
