package io.dap.portal.pages.billing;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import com.lowagie.text.Document;
import com.lowagie.text.Element;
import com.lowagie.text.Font;
import com.lowagie.text.FontFactory;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfWriter;

import io.dap.portal.billing.Invoice;
import io.dap.portal.billing.InvoiceLine;
import io.dap.portal.billing.InvoiceService;

/**
 * An issued invoice as a PDF document: the same figures as the HTML invoice (both read the stored
 * invoice and its lines, never recompute), laid out for printing on A4. Built-in Helvetica, so
 * nothing is embedded; characters outside its Latin set are dropped by the font, not the numbers.
 */
final class InvoicePdf {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private static final Color RULE = new Color(0xD9, 0xE2, 0xEC);

    private InvoicePdf() {
    }

    static byte[] render(InvoiceService.InvoiceView view, String accountName, String ownerEmail) {
        Invoice invoice = view.invoice();
        Font title = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 18);
        Font heading = FontFactory.getFont(FontFactory.HELVETICA_BOLD, 10);
        Font body = FontFactory.getFont(FontFactory.HELVETICA, 10);
        Font muted = FontFactory.getFont(FontFactory.HELVETICA, 8, Color.DARK_GRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document document = new Document(PageSize.A4, 48, 48, 56, 56);
        PdfWriter.getInstance(document, out);
        document.addTitle("Invoice " + invoice.number());
        document.addCreator("Delegated-access portal");
        document.open();

        document.add(new Paragraph("Invoice " + invoice.number(), title));
        document.add(new Paragraph(" ", body));

        PdfPTable header = new PdfPTable(2);
        header.setWidthPercentage(100);
        StringBuilder billedTo = new StringBuilder(invoice.billingName == null ? accountName : invoice.billingName);
        view.addressLines().forEach(line -> billedTo.append('\n').append(line));
        header.addCell(block("Billed to", billedTo.toString(), heading, body));
        header.addCell(block("Details", "Account: " + accountName + " (" + ownerEmail + ")\nPeriod: "
                + invoice.periodLabel() + " (UTC)\nIssued: " + DAY.format(invoice.issuedAt) + "\nCurrency: "
                + invoice.currency, heading, body));
        document.add(header);
        document.add(new Paragraph(" ", body));

        PdfPTable lines = new PdfPTable(new float[] { 6, 2, 2 });
        lines.setWidthPercentage(100);
        lines.setHeaderRows(1);
        lines.addCell(cell("Infrastructure", heading, Element.ALIGN_LEFT));
        lines.addCell(cell("GB-hours", heading, Element.ALIGN_RIGHT));
        lines.addCell(cell("Amount (" + invoice.currency + ")", heading, Element.ALIGN_RIGHT));
        for (InvoiceLine line : view.lines()) {
            Phrase what = new Phrase(line.infrastructureLabel, body);
            if (line.drives != null) {
                what.add(new Phrase("\n" + line.drives, muted));
            }
            PdfPCell label = new PdfPCell(what);
            style(label, Element.ALIGN_LEFT);
            lines.addCell(label);
            lines.addCell(cell(line.gbHours.toPlainString(), body, Element.ALIGN_RIGHT));
            lines.addCell(cell(line.amount.toPlainString(), body, Element.ALIGN_RIGHT));
        }
        lines.addCell(cell("Total", heading, Element.ALIGN_LEFT));
        lines.addCell(cell(invoice.totalGbHours.toPlainString(), heading, Element.ALIGN_RIGHT));
        lines.addCell(cell(invoice.totalAmount.toPlainString() + " " + invoice.currency, heading, Element.ALIGN_RIGHT));
        document.add(lines);
        document.close();
        return out.toByteArray();
    }

    private static PdfPCell block(String heading, String text, Font headingFont, Font bodyFont) {
        Phrase phrase = new Phrase(heading + "\n", headingFont);
        phrase.add(new Phrase(text, bodyFont));
        PdfPCell cell = new PdfPCell(phrase);
        cell.setBorder(PdfPCell.NO_BORDER);
        cell.setPaddingBottom(8);
        return cell;
    }

    private static PdfPCell cell(String text, Font font, int alignment) {
        PdfPCell cell = new PdfPCell(new Phrase(text, font));
        style(cell, alignment);
        return cell;
    }

    private static void style(PdfPCell cell, int alignment) {
        cell.setHorizontalAlignment(alignment);
        cell.setBorder(PdfPCell.BOTTOM);
        cell.setBorderColor(RULE);
        cell.setPadding(5);
    }
}
