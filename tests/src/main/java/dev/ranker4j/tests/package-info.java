/** Cross-module parity and end-to-end tests live under src/test; this package only anchors the module. */
package dev.ranker4j.tests;
