package io.custodia.vault;

import java.text.Normalizer;

/**
 * File paths as tenants write them: {@code /folder/sub/name.ext}, absolute, segments separated by one slash.
 * Normalised to Unicode NFC so that equal-looking names meet in the blind index.
 */
final class VaultPaths {

	static final int MAX_LENGTH = 1024;

	static final String ALLOWED = "an absolute path like /projects/bracket.stl: at most " + MAX_LENGTH
			+ " characters, segments separated by single slashes, no '.' or '..' segments, no control characters";

	private VaultPaths() {
	}

	/** The normalised path of a file; refuses the root and folder-like paths ending in '/'. */
	static String file(String field, String path) {
		String normal = normalise(field, path);
		if (normal.equals("/")) {
			throw new InvalidInputException(field, "a file needs a name, not the root folder", ALLOWED);
		}
		return normal;
	}

	/** The normalised path of a folder; the root is "/". A trailing slash is allowed. */
	static String folder(String field, String path) {
		if (path == null || path.isEmpty()) {
			return "/";
		}
		String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
		return normalise(field, trimmed);
	}

	private static String normalise(String field, String path) {
		if (path == null || path.isEmpty()) {
			throw new InvalidInputException(field, "is missing", ALLOWED);
		}
		String normal = Normalizer.normalize(path, Normalizer.Form.NFC);
		if (normal.length() > MAX_LENGTH) {
			throw new InvalidInputException(field, "is " + normal.length() + " characters long", ALLOWED);
		}
		if (!normal.startsWith("/")) {
			throw new InvalidInputException(field, "does not start with '/'", ALLOWED);
		}
		if (normal.equals("/")) {
			return normal;
		}
		for (String segment : normal.substring(1).split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				throw new InvalidInputException(field, "has an empty, '.' or '..' segment", ALLOWED);
			}
			if (segment.chars().anyMatch(Character::isISOControl)) {
				throw new InvalidInputException(field, "contains a control character", ALLOWED);
			}
		}
		return normal;
	}

	static String folderOf(String file) {
		int slash = file.lastIndexOf('/');
		return slash == 0 ? "/" : file.substring(0, slash);
	}

	static String nameOf(String file) {
		return file.substring(file.lastIndexOf('/') + 1);
	}

	/** Whether the path lies in the folder or one of its subfolders. */
	static boolean within(String path, String folder) {
		return folder.equals("/") || path.startsWith(folder + "/");
	}
}
