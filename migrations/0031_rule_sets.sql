-- The law by date (issue 11, item 2): the rules a dossier, a vote or a document follows are
-- those of the text in force on its date, so a 2019 dossier prints under 2019's texts. Each
-- rule set has the day it takes effect (NULL: the earliest the system knows; it applies until
-- the next set begins), the texts its documents cite, and its rules, each with its source and
-- whether a public copy of the text could be checked (../shared/legal-notes.md). A rule that
-- could not be checked is shown as such on the settings page, never claimed.
-- The law is the same for every tenant: one global table, read-only to the application. A
-- tenant's own, stricter choices stay in tenant_settings.
CREATE TABLE rule_sets (
    code                  text PRIMARY KEY,
    effective_from        date UNIQUE,
    title                 text NOT NULL,
    -- The "căn cứ" the documents print: the law and the texts detailing it.
    citation              text NOT NULL,
    source_text           text NOT NULL,
    -- The legal default of the Government-flag share (%) when a tenant has set none.
    government_flag_share numeric(5,2) NOT NULL
        CHECK (government_flag_share > 0 AND government_flag_share <= 100),
    -- [{"label", "value", "source", "verified": bool}]
    rules                 jsonb NOT NULL CHECK (jsonb_typeof(rules) = 'array')
);

-- Only one set may be open at its start.
CREATE UNIQUE INDEX rule_sets_one_earliest ON rule_sets ((effective_from IS NULL))
    WHERE effective_from IS NULL;

INSERT INTO rule_sets (code, effective_from, title, citation, source_text, government_flag_share, rules)
VALUES
('91/2017', NULL,
 'Nghị định số 91/2017/NĐ-CP (thi hành Luật Thi đua, khen thưởng năm 2003, sửa đổi, bổ sung năm 2013)',
 'Luật Thi đua, khen thưởng năm 2003, sửa đổi, bổ sung năm 2013; Nghị định số 91/2017/NĐ-CP',
 'Nghị định số 91/2017/NĐ-CP quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng; '
 'áp dụng đến khi Nghị định số 98/2023/NĐ-CP có hiệu lực (01/01/2024). Công văn số 5007/BNV-TĐKT ngày '
 '05/09/2023 của Bộ Nội vụ (ban hành theo Luật năm 2003 và Nghị định số 91/2017/NĐ-CP): “Số lượng đề '
 'nghị tặng Cờ thi đua của Chính phủ không quá 20% tổng số tập thể được bình xét dẫn đầu các cụm, khối '
 'thi đua”.',
 20,
 '[
   {"label": "Cờ thi đua của Chính phủ: tỷ lệ tối đa",
    "value": "Không quá 20% tổng số tập thể được bình xét dẫn đầu các cụm, khối thi đua; số lẻ làm tròn xuống (để không vượt 20%)",
    "source": "Công văn số 5007/BNV-TĐKT ngày 05/09/2023", "verified": true},
   {"label": "Tỷ lệ phiếu: Chiến sĩ thi đua bộ, ngành, tỉnh trở lên",
    "value": "Ít nhất 90% tổng số thành viên Hội đồng Thi đua - Khen thưởng đồng ý",
    "source": "Nghị định số 91/2017/NĐ-CP, Điều 45 khoản 8", "verified": true},
   {"label": "Tỷ lệ phiếu khi cụm, khối bình xét, suy tôn và mẫu số",
    "value": "Danh mục mặc định: 80% (cờ thi đua, danh hiệu tập thể), 90% (chiến sĩ thi đua bộ, ngành, tỉnh và toàn quốc), tính trên tổng số thành viên",
    "source": "", "verified": false},
   {"label": "Mẫu báo cáo thành tích, số hiệu các mẫu", "value": "Theo phụ lục của Nghị định",
    "source": "", "verified": false},
   {"label": "Hạn nộp hồ sơ", "value": "Hệ thống dùng hạn do Hội đồng đặt ở trên",
    "source": "", "verified": false}
 ]'),
('98/2023', DATE '2024-01-01',
 'Nghị định số 98/2023/NĐ-CP (thi hành Luật Thi đua, khen thưởng số 06/2022/QH15)',
 'Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 98/2023/NĐ-CP',
 'Luật Thi đua, khen thưởng số 06/2022/QH15 và Nghị định số 98/2023/NĐ-CP quy định chi tiết thi hành, '
 'có hiệu lực từ 01/01/2024 đến 30/06/2025. Phụ lục I, Mẫu số 02: báo cáo thành tích đề nghị tặng Cờ '
 'thi đua của Chính phủ, Cờ thi đua và Bằng khen của bộ, ban, ngành, tỉnh; chú thích của mẫu: ghi rõ '
 'hình thức đề nghị khen thưởng, mỗi hình thức khen thưởng lập hồ sơ riêng.',
 20,
 '[
   {"label": "Cờ thi đua của Chính phủ: tỷ lệ tối đa",
    "value": "Hệ thống giữ mức 20% số tập thể được bình xét dẫn đầu các cụm, khối của Công văn số 5007/BNV-TĐKT; số lẻ làm tròn xuống",
    "source": "Công văn số 5007/BNV-TĐKT (2023) ban hành theo Luật năm 2003; việc còn áp dụng sau 01/01/2024", "verified": false},
   {"label": "Tỷ lệ phiếu khi cụm, khối bình xét, suy tôn và mẫu số",
    "value": "Danh mục mặc định: 80% (cờ thi đua, danh hiệu tập thể), 90% (chiến sĩ thi đua bộ, ngành, tỉnh và toàn quốc), tính trên tổng số thành viên",
    "source": "Nghị định số 98/2023/NĐ-CP, Điều 30 khoản 7 (thường được trích dẫn)", "verified": false},
   {"label": "Báo cáo thành tích tập thể",
    "value": "Mẫu số 02, Phụ lục I; mỗi hình thức khen thưởng một báo cáo, ghi rõ hình thức đề nghị",
    "source": "Nghị định số 98/2023/NĐ-CP, Phụ lục I, Mẫu số 02 và chú thích", "verified": true},
   {"label": "Các phần, các bảng của báo cáo thành tích tập thể",
    "value": "Phần III gồm hai bảng “1. Danh hiệu thi đua” và “2. Hình thức khen thưởng” (năm, số, ngày quyết định, cơ quan ban hành), theo thực tế lập hồ sơ",
    "source": "", "verified": false},
   {"label": "Hạn nộp hồ sơ", "value": "Hệ thống dùng hạn do Hội đồng đặt ở trên",
    "source": "", "verified": false}
 ]'),
('152/2025', DATE '2025-07-01',
 'Nghị định số 152/2025/NĐ-CP và Thông tư số 15/2025/TT-BNV',
 'Luật Thi đua, khen thưởng số 06/2022/QH15; Nghị định số 152/2025/NĐ-CP; Thông tư số 15/2025/TT-BNV',
 'Nghị định số 152/2025/NĐ-CP ngày 14/06/2025 quy định về phân cấp, phân quyền trong lĩnh vực thi '
 'đua, khen thưởng và quy định chi tiết Luật Thi đua, khen thưởng, thay thế Nghị định số 98/2023/NĐ-CP, '
 'có hiệu lực từ 01/07/2025; Thông tư số 15/2025/TT-BNV ngày 04/08/2025 của Bộ Nội vụ quy định biện pháp '
 'thi hành (các mẫu văn bản).',
 20,
 '[
   {"label": "Cờ thi đua của Chính phủ: tỷ lệ tối đa",
    "value": "Hệ thống giữ mức 20% số tập thể được bình xét dẫn đầu các cụm, khối của Công văn số 5007/BNV-TĐKT; số lẻ làm tròn xuống",
    "source": "Nghị định số 152/2025/NĐ-CP có giữ quy định 20% hay không", "verified": false},
   {"label": "Tỷ lệ phiếu khi cụm, khối bình xét, suy tôn (80%, 90%) và mẫu số",
    "value": "Danh mục mặc định: 80% (cờ thi đua, danh hiệu tập thể), 90% (chiến sĩ thi đua bộ, ngành, tỉnh và toàn quốc), tính trên tổng số thành viên",
    "source": "Nghị định số 152/2025/NĐ-CP, Thông tư số 15/2025/TT-BNV", "verified": false},
   {"label": "Số lượng khen thưởng của mỗi cụm, khối",
    "value": "Theo chỉ tiêu từng hình thức trong danh mục của Hội đồng",
    "source": "Nghị định số 152/2025/NĐ-CP, Thông tư số 15/2025/TT-BNV", "verified": false},
   {"label": "Báo cáo thành tích tập thể, số hiệu các mẫu",
    "value": "Mỗi hình thức khen thưởng một báo cáo (như Mẫu số 02 của Nghị định số 98/2023/NĐ-CP)",
    "source": "Thông tư số 15/2025/TT-BNV", "verified": false},
   {"label": "Các phần, các bảng của báo cáo thành tích tập thể",
    "value": "Phần III gồm hai bảng “1. Danh hiệu thi đua” và “2. Hình thức khen thưởng” (năm, số, ngày quyết định, cơ quan ban hành), theo thực tế lập hồ sơ",
    "source": "", "verified": false},
   {"label": "Hạn nộp hồ sơ", "value": "Hệ thống dùng hạn do Hội đồng đặt ở trên",
    "source": "Nghị định số 152/2025/NĐ-CP", "verified": false}
 ]');

GRANT SELECT ON rule_sets TO thidua_app;

-- The Government-flag share a tenant has not chosen is the rule set's of the date: a settings
-- row written for another setting (reminders, the quota) no longer fixes it at 20.
ALTER TABLE tenant_settings ALTER COLUMN government_flag_share DROP NOT NULL;
ALTER TABLE tenant_settings ALTER COLUMN government_flag_share DROP DEFAULT;
