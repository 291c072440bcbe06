package io.dap.portal.pages.sharing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.dap.portal.sharing.DriveKeyCleanup;

/**
 * The standing warning of a sharing page: whose keys remain on how many drives (R11). Drives are
 * counted by id: two drives may share a label.
 */
public record FormerKeys(Long userId, String email, int drives, String removeAction) {

    static List<FormerKeys> of(List<DriveKeyCleanup.KeyOnDrive> keys, String sharingPath) {
        Map<Long, List<DriveKeyCleanup.KeyOnDrive>> byUser = new LinkedHashMap<>();
        keys.forEach(k -> byUser.computeIfAbsent(k.userId(), id -> new java.util.ArrayList<>()).add(k));
        return byUser.values().stream().map(list -> new FormerKeys(list.get(0).userId(), list.get(0).userEmail(),
                (int) list.stream().map(DriveKeyCleanup.KeyOnDrive::driveId).distinct().count(),
                sharingPath + "/former-keys/" + list.get(0).userId() + "/remove")).toList();
    }
}
