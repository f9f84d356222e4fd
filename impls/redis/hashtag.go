package redis

import "strings"

// hashTagged returns key with a hash tag, so that key and the keys derived from
// it by appending (key + ":fence") hash to one Redis Cluster slot, which a
// script touching several keys needs. A key that already has a hash tag (a
// non-empty {...}, by the cluster's rule: the first '{' and the first '}'
// after it) is returned as is; otherwise the whole key becomes the tag.
func hashTagged(key string) string {
	if _, after, ok := strings.Cut(key, "{"); ok {
		if end := strings.IndexByte(after, '}'); end > 0 {
			return key
		}
	}
	return "{" + key + "}"
}
