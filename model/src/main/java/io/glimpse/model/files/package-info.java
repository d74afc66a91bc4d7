/** File-system helpers shared by the modules: deleting directory trees. */
package io.glimpse.model.files;
