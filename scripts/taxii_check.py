"""Reads Liaison Desk's TAXII 2.1 collection the way a threat-intelligence platform does: with the OASIS
TAXII client (discovery, API root, collection, objects page by page) and every object parsed by the OASIS
stix2 library; then one indicator again by its own URL, and its versions, and one by `match[id]`. Prints
the parsed objects as JSON lines for the test that runs it.

Usage: taxii_check.py BASE_URL TOKEN PAGE_SIZE
"""
import json
import sys

import stix2
from taxii2client.v21 import Server, as_pages


def main():
    base, token, per_page = sys.argv[1], sys.argv[2], int(sys.argv[3])
    # TAXII clients send HTTP Basic; the token is the password.
    server = Server(base + "/taxii2/", user="token", password=token)
    root = server.default
    collections = root.collections
    assert len(collections) == 1, collections
    collection = collections[0]
    assert collection.can_read and not collection.can_write
    pages = 0
    indicators = []
    for envelope in as_pages(collection.get_objects, per_request=per_page):
        pages += 1
        for raw in envelope.get("objects", []):
            obj = stix2.parse(raw, allow_custom=True)
            if obj.type == "marking-definition":
                # A handling condition (H0-H3) as a statement marking.
                print(json.dumps({"type": obj.type, "id": obj.id, "statement": obj.definition.statement}))
                continue
            indicators.append(obj)
            print(json.dumps({
                "type": obj.type,
                "id": obj.id,
                "pattern": obj.pattern,
                "marking": obj.object_marking_refs[0],
                "markings": list(obj.object_marking_refs),
                "labels": list(obj.labels),
            }))
    print(json.dumps({"pages": pages}))
    # Look-ups by id: the last indicator read (the one a platform would check again).
    last = indicators[-1]
    again = [stix2.parse(o, allow_custom=True) for o in collection.get_object(last.id)["objects"]]
    versions = collection.object_versions(last.id)["versions"]
    matched = collection.get_objects(id=last.id)["objects"]
    print(json.dumps({
        "looked_up": last.id,
        "again": [o.id for o in again],
        "same": [(o.pattern, str(o.modified)) for o in again] == [(last.pattern, str(last.modified))],
        "versions": versions,
        "matched": [o["id"] for o in matched],
    }))


if __name__ == "__main__":
    main()
