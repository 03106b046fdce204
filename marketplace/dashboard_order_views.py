"""Oscar's order dashboard views, with status and money left to the services that own them."""
from oscar.apps.dashboard.orders import views as oscar_views

from marketplace.spreadsheets import csv_cell


class OrderListView(oscar_views.OrderListView):
    """No bulk status change (it would bypass payments, stock, the ledger and invoices); the CSV of the
    selected orders stays, safe to open in a spreadsheet (a buyer's name can be ``=HYPERLINK(…)``)."""

    actions = ("download_selected_orders",)

    def get_row_values(self, order):
        return {column: csv_cell(value) for column, value in super().get_row_values(order).items()}


class OrderDetailView(oscar_views.OrderDetailView):
    """Read-only for money and status: notes only.

    An order's status follows its sellers' parts and its payment, each changed by the service that owns
    it (sellers at /ban-hang/don-hang/, the IPN, reconciliation, refunds), which also moves the stock, the
    ledger and the invoices. Oscar's screen used to set an unpaid VNPay order "paid" (the payment stayed
    pending, the seller never saw the part) or cancel a paid order without refunding it or giving back
    its stock; its status, line-status, shipping-event and payment-event actions are gone.
    """

    order_actions = ("save_note", "delete_note")
    line_actions = ()
